"""Documents of every shape dated from their own text (issue 23, item 1): the opening lines are written for the
tests in the shapes that were guessed wrong (own words), and what `add-source FILE` alone must read from them."""

from __future__ import annotations

import datetime
import subprocess
import sys

import pytest

from indicators.read import docinfo

TODAY = datetime.date(2026, 12, 8)
CASES = [
    # (opening lines, issued, period, results, targets, doc id)
    ("Bắc Giang: quý I/2025 tăng trưởng GRDP đạt 12,4%\nCập nhật: 08/04/2025 10:20\n\nCăn cứ Luật Ngân sách nhà nước"
     " ngày 16 tháng 12 năm 2008, ...\nQuý I/2025, tổng sản phẩm trên địa bàn tăng 12,4%.",
     "2025-04-08", "q1", [2025], [2025], "article-2025-q1"),
    ("ngày 12 tháng 5 năm 2008 của Quốc hội\nBÁO CÁO\nTình hình kinh tế - xã hội quý I năm 2025\n"
     "Bắc Giang, ngày 02 tháng 4 năm 2025\n", "2025-04-02", "q1", [2025], [2025], "report-2025-q1"),
    ("THÔNG CÁO BÁO CHÍ\nVề tình hình kinh tế - xã hội năm 2024\nBắc Giang, ngày 25 tháng 11 năm 2024\n"
     "Năm 2024, tỉnh phấn đấu hoàn thành các mục tiêu đến năm 2025 của kế hoạch 5 năm.\n",
     "2024-11-25", "year", [2024], [2025], "press-2024"),
    ("Kinh tế 6 tháng đầu năm 2024: nhiều điểm sáng\n\n6 tháng đầu năm 2024, GRDP của tỉnh tăng 10,2%.\n",
     "2024", "6m", [2024], [2024], "article-2024-h1"),
    ("TÌNH HÌNH KINH TẾ - XÃ HỘI THÁNG 11 VÀ 11 THÁNG NĂM 2023\nCập nhật: 30/11/2023 09:15\n",
     "2023-11-30", "11m", [2023], [2023], "report-2023-11m"),
    ("Tình hình kinh tế - xã hội tháng 10 năm 2024\nCập nhật: 31/10/2024\n\nTháng 10, chỉ số sản xuất công nghiệp"
     " tăng 2%.\n", "2024-10-31", "month", [2024], [2024], "article-2024-m10"),
    ("THÔNG CÁO BÁO CHÍ\nVỀ TÌNH HÌNH KINH TẾ - XÃ HỘI QUÝ IV VÀ NĂM 2024\nBắc Giang, ngày 06 tháng 01 năm 2025\n",
     "2025-01-06", "year", [2024], [2025], "press-2024"),
    ("Phấn đấu đến năm 2030 GRDP bình quân đầu người đạt 12.000 USD\nCập nhật: 21/09/2023 08:15\n\nTỉnh đặt mục"
     " tiêu đến năm 2030, tầm nhìn đến năm 2050, trở thành tỉnh công nghiệp hiện đại.\n", "2023-09-21", "year",
     [2023], [2024], "article-2023"),  # (the horizon is no year of the text: its figures say their own)
]


@pytest.mark.parametrize("head, issued, period, results, targets, doc_id", CASES)
def test_a_document_says_when_and_what(head, issued, period, results, targets, doc_id):
    info = docinfo.read_info(head, today=TODAY)
    assert (info.issued, info.period, info.results, info.targets) == (issued, period, results, targets)
    assert info.doc_id(set()) == doc_id


def test_a_district_document_names_its_issuer():
    head = "ỦY BAN NHÂN DÂN\nHUYỆN TÂN YÊN\nSố: 210/BC-UBND\nTân Yên, ngày 03 tháng 12 năm 2024\nBÁO CÁO\n"
    assert docinfo.read_info(head, today=TODAY).issuer == "UBND huyện Tân Yên"


def test_a_text_that_says_no_date_nor_year_is_refused_in_one_line(tmp_path, project):
    text = tmp_path / "khong-ngay.txt"
    text.write_text("Một số kết quả nổi bật\n\nThu ngân sách đạt 1.200 tỷ đồng.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "indicators.cli", "add-source", str(text)], capture_output=True,
                          text=True, cwd=project)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(text) in lines[0] and "--issued" in lines[0] and "quý I/2025" in lines[0]
