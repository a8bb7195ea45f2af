"""CSV that spreadsheets open as data, never as formulas.

A cell that begins with = + - @, a tab or a carriage return is read as a formula by
Excel, LibreOffice and Google Sheets, so a display name such as
``=HYPERLINK("http://…","x")`` would run in an instructor's spreadsheet. Every CSV the
site writes goes through ``csv_writer``, which prefixes such cells with a single quote
(the convention spreadsheets show as text). Numbers are written as they are.

Spreadsheets also skip what comes before the formula sign: spaces, no-break spaces,
zero-width and other invisible characters, a byte order mark, line and paragraph
separators, and they read full-width signs (``＝``, ``＋``) as the ASCII ones. So the
test looks at the first character left after those, in its compatibility form (NFKC).
"""

import csv
import unicodedata

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
INVISIBLE_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf"}  # spaces, separators, controls, format


def _first_visible(text):
    for char in text:
        if not (char.isspace() or unicodedata.category(char) in INVISIBLE_CATEGORIES):
            return unicodedata.normalize("NFKC", char)[:1]
    return ""


def is_formula(text):
    """True when a spreadsheet could read `text` as a formula."""
    return text.startswith(FORMULA_STARTS) or _first_visible(text) in FORMULA_STARTS


def safe_cell(value):
    """The value as a CSV cell that no spreadsheet evaluates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    text = str(value)
    if is_formula(text):
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
