"""``core.xlsx.write_ledger``: a workbook that spreadsheet programs (here openpyxl) read back as written."""

from datetime import date, datetime
from io import BytesIO

from openpyxl import load_workbook

from core.xlsx import _column, write_ledger


def test_columns_are_lettered_as_spreadsheets_do():
    assert [_column(i) for i in (0, 25, 26, 51, 52, 701, 702)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


def test_the_ledger_reads_back_with_its_header_values_dates_and_widths():
    output = BytesIO()
    rows = [
        ["〔2026〕郧西化字第1号", "王五 & <李四>", date(2026, 3, 9), 3, None],
        ["第2号", "控制\x01字符 “引号”", datetime(2026, 11, 1, 10, 0), 2.5, True],
        ["  前后空格  ", "", date(1999, 12, 31), 0, False],
    ]
    written = write_ledger(
        output,
        sheet="行政争议案件/台账:2026年[全部]" * 3,
        columns=[("案号", 26), ("申请人", 20), ("收案日期", 12), ("件数", 8), ("标记", 6)],
        rows=iter(rows),
    )
    assert written == 3
    book = load_workbook(BytesIO(output.getvalue()))
    sheet = book.active
    assert len(book.sheetnames) == 1 and len(sheet.title) <= 31 and not set("/:[]") & set(sheet.title)
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("案号", "申请人", "收案日期", "件数", "标记")
    assert values[1] == ("〔2026〕郧西化字第1号", "王五 & <李四>", datetime(2026, 3, 9), 3, None)
    assert values[2] == ("第2号", "控制字符 “引号”", datetime(2026, 11, 1), 2.5, True)
    assert values[3] == ("  前后空格  ", None, datetime(1999, 12, 31), 0, False)
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 26 and sheet.column_dimensions["C"].width == 12
