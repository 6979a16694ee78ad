"""Spreadsheets (.xlsx, .xlsm, .xls, .ods) through python-calamine: one reader (Rust's
calamine) for every workbook format, values as Python types.

A sheet whose header row names article columns (标题, 正文, 发文字号 … as for CSV) is a list
of documents: one article per row, read by the same code as CSV. Any other sheet is one
document: its rows as lines, cells separated by a space.
"""

from __future__ import annotations

import datetime as dt

from indexer.sources.documents.isolate import ConversionFailed
from indexer.sources.documents.word import check_zip

MAX_CELLS = 2_000_000


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def read_sheets(path: str) -> list[tuple[str, list[list[str]]]]:
    """(sheet name, rows of cell texts) of every sheet with anything in it."""
    if not path.lower().endswith(".xls"):
        check_zip(path)
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(path)
        sheets, cells = [], 0
        for name in workbook.sheet_names:
            rows = [[_cell(v) for v in row] for row in
                    workbook.get_sheet_by_name(name).to_python(skip_empty_area=True)]
            cells += sum(len(r) for r in rows)
            if cells > MAX_CELLS:
                raise ConversionFailed(f"workbook too large (more than {MAX_CELLS} cells)")
            rows = [r for r in rows if any(r)]
            if rows:
                sheets.append((name, rows))
        return sheets
    except ConversionFailed:
        raise
    except Exception as exc:        # calamine's errors for damaged or password-protected files
        raise ConversionFailed(f"damaged or unreadable workbook ({type(exc).__name__}: {exc})") from None
