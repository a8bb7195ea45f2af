"""CSV that spreadsheets open as data, never as formulas.

A cell that begins with = + - @, a tab or a carriage return is read as a formula by
Excel, LibreOffice and Google Sheets, so a display name such as
``=HYPERLINK("http://…","x")`` would run in an instructor's spreadsheet. Every CSV the
site writes goes through ``csv_writer``, which prefixes such cells with a single quote
(the convention spreadsheets show as text). Numbers are written as they are.
"""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as a CSV cell that no spreadsheet evaluates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _SafeWriter:
    def __init__(self, fileobj, **kwargs):
        self._writer = csv.writer(fileobj, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(fileobj, **kwargs):
    """A csv.writer whose every cell passes through safe_cell."""
    return _SafeWriter(fileobj, **kwargs)
