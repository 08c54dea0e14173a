"""The text layer on real passages of the documents."""

from __future__ import annotations

import unicodedata

from conftest import sentence_with

from indicators.read import text


def test_sentence_continues_after_three_footnotes(doc_sentences, raw_lines):
    # 2022 report: "tỷ lệ hộ nghèo ... giảm 1,5% xuống còn" / three footnotes / "3,81%"
    s = sentence_with(doc_sentences["report-2022"], "tỷ lệ hộ nghèo toàn tỉnh")
    assert "giảm 1,5% xuống còn 3,81%; trong đó tỷ lệ hộ nghèo các xã đặc biệt khó khăn" in s.text
    lines = raw_lines["report-2022"]
    start, value = s.text.index("giảm 1,5%"), s.text.index("3,81%")
    assert "giảm 1,5% xuống còn" in lines[s.line_at(start) - 1]
    assert lines[s.line_at(value) - 1].lstrip().startswith("3,81%")
    assert s.line_at(value) - s.line_at(start) > 3  # the footnotes lie between
    notes = [x for x in doc_sentences["report-2022"] if x.kind == "footnote" and x.footnote in (38, 39, 40)]
    assert {x.footnote for x in notes} == {38, 39, 40}
    assert all(s.line_at(start) < x.line_start < s.line_at(value) for x in notes)
    assert not any("3,81" in x.text for x in notes)


def test_footnote_marks_are_removed_and_footnotes_kept(doc_sentences):
    sentences = doc_sentences["report-2022"]
    s = sentence_with(sentences, "thuế sản phẩm tăng 8,4%")
    assert "thuế sản phẩm tăng 8,4%." in s.text and "8,4%2" not in s.text
    note = next(x for x in sentences if x.kind == "footnote" and x.footnote == 2)
    assert note.text.startswith("Ngành Công nghiệp - xây dựng đóng góp 17,46 điểm phần trăm")
    # a mark glued to a year: "so với năm 202143." is "so với năm 2021" + footnote 43
    assert "giảm 03 cơ sở so với năm 2021." in sentence_with(sentences, "giảm 03 cơ sở").text
    # a mark glued to a word: "sản xuất kinh doanh3."
    assert "mở rộng sản xuất kinh doanh." in sentence_with(sentences, "mở rộng sản xuất kinh doanh").text


def test_every_footnote_is_found_with_its_mark(registry, raw_texts):
    for source in registry:
        diagnostics = text.TextDiagnostics()
        sentences = text.split_sentences(raw_texts[source.doc_id], source.doc_id, diagnostics)
        assert diagnostics.unmatched_marks == [], source.doc_id
        numbers = sorted({s.footnote for s in sentences if s.kind == "footnote"})
        assert numbers == list(range(1, len(numbers) + 1)), source.doc_id
    report = text.split_sentences(raw_texts["report-2022"], "report-2022")
    assert max(s.footnote or 0 for s in report) == 58


def test_every_character_comes_from_its_line(doc_sentences, raw_lines):
    for doc_id, sentences in doc_sentences.items():
        lines = [unicodedata.normalize("NFC", line) for line in raw_lines[doc_id]]
        for s in sentences:
            assert len(s.line_map) == len(s.text)
            for i, ch in enumerate(s.text):
                if not ch.isspace():
                    assert ch in lines[s.line_at(i) - 1], (doc_id, s.sentence_id, i, ch)


def test_markdown_is_stripped_and_headings_found(doc_sentences):
    sentences = doc_sentences["press-2021"]
    assert not any("*" in s.text or s.text.startswith("#") for s in sentences)
    heading = sentence_with(sentences, "I. TÌNH HÌNH KẾT QUẢ PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2021")
    assert heading.kind == "heading"
    s = sentence_with(sentences, "tốc độ tăng GRDP")
    assert s.text.endswith("tốc độ tăng GRDP cả năm ước đạt 7,82% (cao hơn mức dự báo trước đó).")
    assert "I. TÌNH HÌNH KẾT QUẢ" in s.section


def test_pdf_wraps_page_numbers_and_sections(doc_sentences):
    sentences = doc_sentences["report-2022"]
    s = sentence_with(sentences, "Chuẩn bị các điều kiện")
    assert "Chuẩn bị các điều kiện cần thiết, nhất là hạ tầng" in s.text  # page number "30" dropped
    target = sentence_with(sentences, "Phấn đấu tốc độ tăng GRDP")
    assert target.text.startswith("(1) Phấn đấu tốc độ tăng GRDP đạt 14,5%, trong đó Công nghiệp - xây dựng tăng 18,6%")
    assert "NĂM 2023" in target.section and "Phần thứ hai" in target.section
    assert "NĂM 2022" in sentence_with(sentences, "tốc độ tăng trưởng kinh tế (GRDP)").section
    # a hyphen at a line end joins without a space: "2021-" / "2025"
    assert "giai đoạn 2021-2025" in sentence_with(sentences, "Kế hoạch sử dụng đất của tỉnh").text


def test_flattened_table_rows_are_sentences(doc_sentences):
    s = sentence_with(doc_sentences["plan-nq02-2024"], "Tỷ lệ cung cấp dịch vụ công trực tuyến toàn tỉnh")
    assert s.text.startswith("1. Tỷ lệ cung cấp dịch vụ công trực tuyến")
    assert "% Tối thiểu 80 %" in s.text


def test_text_is_nfc(doc_sentences):
    for sentences in doc_sentences.values():
        assert all(unicodedata.is_normalized("NFC", s.text) for s in sentences)


def test_clean_line_and_footnote_sentence_on_a_small_pdf_page():
    raw = (
        "Thu nhập tăng 5%1. Sản xuất ổn \n\n"
        "định.\n"
        "                                           \n"
        "1 Số liệu ước tính.\n"
        " Câu sau trang.\n"
    )
    sentences = text.split_sentences(raw, "x")
    assert [s.text for s in sentences] == [
        "Thu nhập tăng 5%.",
        "Sản xuất ổn định.",
        "Số liệu ước tính.",
        "Câu sau trang.",
    ]
    assert [s.kind for s in sentences] == ["body", "body", "footnote", "body"]
    assert sentences[1].line_start == 1 and sentences[1].line_end == 3
    assert sentences[2].footnote == 1 and sentences[2].line_start == 5
