"""The compositional reading, on sentences written for these tests in the style of the reports.

Each test reads a small document through the real stages (text layer, quantity mentions, resolution,
observations) and checks what lands in the tables: the indicator composed from concept, breakdown and
measure, the year, kind, period and value.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.read import extract, mentions, resolve, text, vocabulary
from indicators.read.sources import Source

VOCAB = vocabulary.load_vocabulary()


def read(document: str, *, doc_type="report", issued="2025-12", results=(2025,), targets=(2026,)):
    """The observations and unresolved mentions of ``document`` (plain text)."""
    source = Source("t", "t.txt", "0" * 64, "t", "t", "t", "t", "i", doc_type, issued, tuple(results), tuple(targets),
                    Path("t.txt"))
    sentences = text.split_sentences(document, "t")
    resolutions = resolve.resolve_document(sentences, mentions.document_mentions(sentences, source), VOCAB)
    return extract.observations(resolutions, VOCAB), extract.unresolved(resolutions)


def figure(observations, numeral: str):
    rows = observations[observations["number_as_written"] == numeral]
    assert len(rows) == 1, (numeral, observations[["indicator_id", "number_as_written"]].to_dict("records"))
    return rows.iloc[0]


def test_measures_of_one_concept():
    obs, _ = read(
        "Tổng thu ngân sách nhà nước năm 2025 ước đạt 21.450,6 tỷ đồng, tăng 12,4% so với năm 2024, "
        "bằng 108,3% năm trước, vượt 18,5% dự toán; thu nội địa chiếm 88,2%."
    )
    level = figure(obs, "21.450,6")
    assert (level.indicator_id, level.kind, level.value, level.unit) == (
        "budget_revenue", "estimate", 21450.6, "bn VND")
    assert figure(obs, "12,4").indicator_id == "budget_revenue_growth"
    assert figure(obs, "108,3").indicator_id == "budget_revenue_ratio"
    attained = figure(obs, "18,5")
    assert (attained.indicator_id, attained.kind, attained.value) == ("budget_revenue", "attainment", 118.5)
    assert figure(obs, "88,2").indicator_id == "budget_revenue_domestic_share"


@pytest.mark.parametrize("sentence, numeral, indicator, value", [
    ("Khu vực dịch vụ tăng 7,9%, đóng góp 2,15 điểm phần trăm vào mức tăng trưởng chung.", "2,15",
     "grdp_services_contribution", 2.15),
    ("Lượng khách du lịch đạt 2,1 triệu lượt, gấp 1,6 lần năm trước.", "1,6", "tourists_multiple", 1.6),
    ("Chỉ số PCI năm 2025 của tỉnh xếp thứ 12/63 tỉnh, thành phố.", "12/63", "pci_rank", 12),
    ("Tỷ lệ hộ nghèo còn 1,62%, giảm 0,74% so với năm trước.", "0,74", "poverty_rate_change_pp", 0.74),
    ("Toàn tỉnh có 2.310 doanh nghiệp thành lập mới, tăng 215 doanh nghiệp so với năm trước.", "215",
     "enterprises_new_change", 215),
    ("Sản lượng lúa cả năm đạt 392,5 nghìn tấn, giảm 1,8%.", "1,8", "production_rice_decline", 1.8),
])
def test_each_measure(sentence, numeral, indicator, value):
    obs, _ = read(sentence)
    row = figure(obs, numeral)
    assert (row.indicator_id, row.value) == (indicator, value)


def test_x_of_y_keeps_both_numbers_and_the_provinces_own_count_of_targets():
    obs, _ = read("Năm 2025, tỉnh có 19/21 chỉ tiêu chủ yếu đạt và vượt kế hoạch; 02 chỉ tiêu không đạt kế hoạch.")
    met = figure(obs, "19/21")
    assert (met.indicator_id, met.value, met.denominator) == ("targets_met_or_exceeded", 19, 21)
    assert figure(obs, "02").indicator_id == "targets_missed"


@pytest.mark.parametrize("sentence, numeral, indicator", [
    ("Trong đó, khu vực công nghiệp - xây dựng tăng 14,8%; nông, lâm nghiệp, thủy sản tăng 3,1%.", "14,8",
     "grdp_ind_con_growth"),
    ("Giá trị sản xuất công nghiệp khu vực ngoài nhà nước đạt 52,3 nghìn tỷ đồng.", "52,3",
     "gross_output_industry_non_state"),
    ("Vốn đầu tư phát triển từ khu vực dân cư đạt 40.120 tỷ đồng.", "40.120", "dev_investment_households"),
    ("Thu tiền sử dụng đất đạt 6.210 tỷ đồng.", "6.210", "budget_revenue_land"),
    ("Thu ngân sách trên địa bàn huyện Lục Ngạn đạt 512 tỷ đồng.", "512", "budget_revenue_luc_ngan"),
    ("Diện tích vải thiều toàn tỉnh đạt 28.640 ha.", "28.640", "planted_area_lychee"),
    ("Cấp mới 41 dự án FDI với tổng vốn đăng ký 712,4 triệu USD.", "41", "projects_fdi_new"),
])
def test_each_breakdown(sentence, numeral, indicator):
    obs, _ = read(sentence)
    assert figure(obs, numeral).indicator_id == indicator


def test_respectively_lists_give_each_figure_its_member():
    obs, _ = read("Vốn đầu tư của khu vực dân cư và khu vực FDI lần lượt chiếm 44,1% và 19,6% tổng vốn đầu tư "
                  "phát triển.")
    assert figure(obs, "44,1").indicator_id == "dev_investment_households_share"
    assert figure(obs, "19,6").indicator_id == "dev_investment_fdi_share"


def test_anaphora_and_continuation_read_the_concept_said_before():
    obs, _ = read(
        "Khu vực có vốn đầu tư nước ngoài giữ vai trò dẫn dắt. Giá trị sản xuất công nghiệp của khu vực này đạt "
        "410,2 nghìn tỷ đồng. Tốc độ tăng trưởng kinh tế (GRDP) cả năm đạt 11,8%. Trong đó, ngành công nghiệp "
        "tăng 17,2%; dịch vụ tăng 6,4%."
    )
    assert figure(obs, "410,2").indicator_id == "gross_output_industry_fdi"
    assert figure(obs, "17,2").indicator_id == "grdp_industry_growth"
    assert figure(obs, "6,4").indicator_id == "grdp_services_growth"


def test_a_footnote_goes_on_from_the_sentence_its_mark_is_in():
    document = (
        "Tốc độ tăng trưởng kinh tế (GRDP) cả năm đạt 12,1%1. Quy mô kinh tế tiếp tục mở rộng.\n"
        "                                                  \n"
        "1 Ngành công nghiệp - xây dựng đóng góp 9,4 điểm phần trăm; dịch vụ đóng góp 1,9 điểm.\n"
    )
    obs, _ = read(document)
    assert figure(obs, "9,4").indicator_id == "grdp_ind_con_contribution"
    assert figure(obs, "1,9").indicator_id == "grdp_services_contribution"


def test_year_and_kind_come_from_the_text_before_any_default():
    obs, _ = read(
        "Năm 2024, GRDP bình quân đầu người đạt 4.150 USD. Cả năm 2025, thu ngân sách ước đạt 22.100 tỷ đồng "
        "(kế hoạch 20.000 tỷ đồng). Phấn đấu năm 2026 tăng trưởng kinh tế đạt 10,5%.",
        issued="2026-01", results=(2025,), targets=(2026,),
    )
    assert (figure(obs, "4.150").year, figure(obs, "4.150").kind) == (2024, "actual")
    assert (figure(obs, "22.100").year, figure(obs, "22.100").kind) == (2025, "estimate")
    assert (figure(obs, "20.000").year, figure(obs, "20.000").kind) == (2025, "plan")  # this year's plan
    assert (figure(obs, "10,5").year, figure(obs, "10,5").kind) == (2026, "plan")


def test_a_year_in_brackets_belongs_to_its_own_figure():
    obs, _ = read("Cả năm, chỉ số IIP tăng 16,2% (năm 2024 tăng 20,3%); trong đó công nghiệp chế biến, chế tạo "
                  "tăng 17,5%.", results=(2025,))
    assert figure(obs, "16,2").year == 2025 and figure(obs, "20,3").year == 2024 and figure(obs, "17,5").year == 2025


@pytest.mark.parametrize("sentence, numeral, period", [
    ("9 tháng đầu năm 2025, kim ngạch xuất khẩu ước đạt 21,4 tỷ USD.", "21,4", "9m"),
    ("6 tháng đầu năm, thu ngân sách đạt 9.120 tỷ đồng.", "9.120", "6m"),
    ("Riêng quý III, GRDP ước tăng 12,3%.", "12,3", "q3"),
    ("Tháng 11, chỉ số giá tiêu dùng tăng 0,42% so với tháng trước.", "0,42", "month"),
    ("Cả năm 2025, kim ngạch xuất khẩu ước đạt 29,8 tỷ USD.", "29,8", "year"),
    ("Đến hết tháng 12/2025, toàn tỉnh có 162 xã đạt chuẩn nông thôn mới.", "162", "year"),
])
def test_partial_periods_are_never_annual(sentence, numeral, period):
    obs, _ = read(sentence)
    assert figure(obs, numeral).period == period


def test_figures_of_the_country_and_other_provinces_are_not_the_provinces():
    obs, unresolved = read(
        "GRDP cả năm ước tăng 11,6% (cả nước tăng 7,1%). Tăng trưởng của tỉnh đứng thứ 3 cả nước, chỉ sau "
        "Quảng Ninh (tăng 12,2%)."
    )
    assert set(obs["number_as_written"]) == {"11,6", "3"}
    reasons = dict(zip(unresolved["text"], unresolved["reason"], strict=True))
    assert reasons == {"7,1": "national", "12,2": "other_province"}


def test_units_and_number_formats_of_other_writers():
    obs, _ = read("Tổng thu ngân sách ước đạt 24.860 tỉ đồng; thu hút FDI 1,91 tỉ USD; bán lẻ 8 tháng đạt "
                  "46,215.8 tỷ đồng.")
    assert figure(obs, "24.860").value == 24860 and figure(obs, "1,91").value == 1910
    assert figure(obs, "46,215.8").value == 46215.8


def test_a_number_no_concept_claims_is_unresolved_with_its_reason():
    _, unresolved = read("Năm 2025, toàn tỉnh trao tặng 4.212 món đồ lưu niệm.")
    assert list(unresolved["reason"]) == ["no_concept"]
    assert unresolved["reason"].isin(list(resolve.REASONS)).all()
