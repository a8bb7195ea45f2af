"""CSV cells never start a formula, whatever invisible characters come first."""

import csv
import io
import itertools

import pytest

from config.csv import csv_writer, safe_cell

INVISIBLE = [
    " ",  # space
    "\u00a0",  # no-break space
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\u2028",  # line separator
    "\u2029",  # paragraph separator
    "\u3000",  # ideographic space
    "\n",
    "\t",
]
SIGNS = ["=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe66"]  # full-width, small
PREFIXES = ["", *INVISIBLE, *("".join(p) for p in itertools.permutations(INVISIBLE[:5], 2))]


@pytest.mark.parametrize("sign", SIGNS)
def test_every_invisible_prefix_before_a_formula_sign_is_neutralised(sign):
    for prefix in PREFIXES:
        value = f'{prefix}{sign}HYPERLINK("http://evil.example","x")'
        assert safe_cell(value) == "'" + value, repr(prefix)


@pytest.mark.parametrize("value", ["Anna", " Anna", "\u00a0Boris", "\u200b", "", "1 = 1", "Ｘ"])
def test_ordinary_names_are_written_as_they_are(value):
    assert safe_cell(value) == value


def test_the_writer_neutralises_every_cell():
    out = io.StringIO()
    csv_writer(out).writerow(["\ufeff=1+1", "\u00a0\uff1dSUM(A1)", 5])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == [
        "'\ufeff=1+1",
        "'\u00a0\uff1dSUM(A1)",
        "5",
    ]
