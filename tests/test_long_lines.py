"""A long line is read in work and memory linear in its length: every number a mention, every quote bounded, and
the tables hold no copy of the sentence per figure. (No timing here: benchmarks/long_line.py measures the speed.)"""

from __future__ import annotations

from indicators import build
from indicators.read import mentions, sources, text

ONE_DOCUMENT = {"doc_id": "long", "doc_type": "report", "issued": "2023-12", "results": [2023], "targets": [2024],
                "title_vi": "Báo cáo", "title_en": "Report", "short_title_vi": "Báo cáo", "short_title_en": "Report"}
MAX_QUOTE = 300  # characters: "a few hundred around its figure"
ITEMS = ["tổng sản phẩm trên địa bàn (GRDP) tăng {d}%", "thu ngân sách nhà nước đạt {n} tỷ đồng",
         "thành lập mới {n} doanh nghiệp", "tỷ lệ hộ nghèo giảm {d}%"]


def bare_list(count: int) -> str:
    return "Các số liệu: " + ", ".join(str(i) for i in range(1, count + 1)) + "."


def figures(count: int) -> str:
    parts = [ITEMS[i % len(ITEMS)].format(d=f"{i % 97 + 1},{i % 10}", n=f"{1100 + 7 * i:,}".replace(",", "."))
             for i in range(count)]
    return "Năm 2023, " + ", ".join(parts) + "."


def register(raw, line: str) -> list[sources.Source]:
    """A registry of one document: ``line``."""
    path = raw.parent / f"{raw.name}-long.txt"
    path.write_text(line + "\n", encoding="utf-8")
    return [sources.add_to(raw, path, **ONE_DOCUMENT)]


def test_a_line_of_numbers_reads_one_mention_each_with_a_bounded_quote(tmp_path):
    for count in (500, 20_000):  # (the first size fails at once where quotes grow with the line)
        (source,) = register(tmp_path / str(count), bare_list(count))
        sentences = text.split_sentences(sources.read_text(source), source.doc_id)
        found = mentions.document_mentions(sentences, source)
        years = sum(1900 <= i <= 2099 for i in range(1, count + 1))  # "2021" alone is a year, not a quantity
        assert [m.text for m in found] == [str(i) for i in range(1, count + 1) if not 1900 <= i <= 2099]
        assert len(found) == count - years
        assert max(len(m.quote) for m in found) <= MAX_QUOTE
        assert all(m.text in m.quote for m in found)
        table = mentions.mentions_table(found)
        assert "sentence" not in table
        size = sum(table[c].astype(str).str.len().sum() for c in table.columns)
        assert size <= 400 * count  # the table grows with the number of figures, not with figures × line


def test_a_long_line_of_figures_builds_with_bounded_rows(tmp_path):
    for count in (200, 2_000):
        raw = tmp_path / str(count)
        register(raw, figures(count))
        built = build.build_tables(raw)  # (every quote checked against the raw line)
        table = built["mentions"]
        assert len(table) == count
        assert table["quote"].str.len().max() <= MAX_QUOTE
        size = sum(table[c].astype(str).str.len().sum() for c in table.columns)
        assert size <= 400 * count
        assert len(built["observations"]) == count
