"""BibTeX and RIS in and out: one reference's fields as plain values.

Parsing returns ``(entries, errors)``: each entry a dict of Reference field values (not
yet validated: the form validates them as if typed), each error a sentence for the
reader. Nothing is saved here.
"""

import logging
import re

from references.models import Reference, parse_authors

Kind = Reference.Kind

BIBTEX_KINDS = {
    "book": Kind.BOOK, "inbook": Kind.CHAPTER, "incollection": Kind.CHAPTER,
    "article": Kind.ARTICLE, "online": Kind.WEBPAGE, "misc": Kind.OTHER,
    "techreport": Kind.REPORT, "report": Kind.REPORT, "phdthesis": Kind.THESIS,
    "mastersthesis": Kind.THESIS, "thesis": Kind.THESIS, "unpublished": Kind.ARCHIVAL,
    "manual": Kind.OTHER, "booklet": Kind.BOOK, "inproceedings": Kind.CHAPTER,
    "movie": Kind.FILM, "video": Kind.FILM, "artwork": Kind.IMAGE, "image": Kind.IMAGE,
}  # fmt: skip
KIND_BIBTEX = {
    Kind.BOOK: "book", Kind.CHAPTER: "incollection", Kind.ARTICLE: "article",
    Kind.MAGAZINE: "article", Kind.NEWSPAPER: "article", Kind.WEBPAGE: "online",
    Kind.IMAGE: "misc", Kind.FILM: "misc", Kind.ARCHIVAL: "unpublished",
    Kind.REPORT: "techreport", Kind.THESIS: "phdthesis", Kind.OTHER: "misc",
}  # fmt: skip
RIS_KINDS = {
    "BOOK": Kind.BOOK, "CHAP": Kind.CHAPTER, "JOUR": Kind.ARTICLE, "MGZN": Kind.MAGAZINE,
    "NEWS": Kind.NEWSPAPER, "ELEC": Kind.WEBPAGE, "WEB": Kind.WEBPAGE, "ART": Kind.IMAGE,
    "FIGURE": Kind.IMAGE, "MPCT": Kind.FILM, "VIDEO": Kind.FILM, "MANSCPT": Kind.ARCHIVAL,
    "UNPB": Kind.ARCHIVAL, "RPRT": Kind.REPORT, "THES": Kind.THESIS, "GEN": Kind.OTHER,
}  # fmt: skip
KIND_RIS = {
    Kind.BOOK: "BOOK", Kind.CHAPTER: "CHAP", Kind.ARTICLE: "JOUR", Kind.MAGAZINE: "MGZN",
    Kind.NEWSPAPER: "NEWS", Kind.WEBPAGE: "ELEC", Kind.IMAGE: "ART", Kind.FILM: "MPCT",
    Kind.ARCHIVAL: "MANSCPT", Kind.REPORT: "RPRT", Kind.THESIS: "THES", Kind.OTHER: "GEN",
}  # fmt: skip
_BRACES = re.compile(r"[{}]")
_YEAR = re.compile(r"(\d{4})(?:[/-](\d{1,2}))?(?:[/-](\d{1,2}))?")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}


def looks_like_bibtex(text):
    return text.lstrip().startswith("@")


def parse(text):
    """BibTeX when the text starts with @, RIS otherwise."""
    return parse_bibtex(text) if looks_like_bibtex(text) else parse_ris(text)


def _date(year, month=None, day=None):
    if not year:
        return ""
    parts = [f"{int(year):04d}"]
    if month:
        parts.append(f"{int(month):02d}")
        if day:
            parts.append(f"{int(day):02d}")
    return "-".join(parts)


def _clean(value):
    return " ".join(_BRACES.sub("", value or "").split())


def parse_bibtex(text):
    import bibtexparser  # loaded when someone pastes or imports, not by every worker

    # bibtexparser logs each block it cannot parse; the reader gets our sentence instead.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text or "")
    errors = []
    if library.failed_blocks:
        lines = ", ".join(str(block.start_line + 1) for block in library.failed_blocks)
        errors.append(f"This BibTeX could not be read (the entry starting on line {lines}).")
    entries = []
    for entry in library.entries:
        fields = {name.lower(): _clean(field.value) for name, field in entry.fields_dict.items()}
        month = fields.get("month", "")[:3].lower()
        month = _MONTHS.get(month) or (int(month) if month.isdigit() else None)
        raw = {name.lower(): field.value for name, field in entry.fields_dict.items()}
        authors = _bibtex_people(raw.get("author") or raw.get("editor") or "")
        year = fields.get("year", "")
        date_field = _YEAR.match(fields.get("date", "")) if fields.get("date") else None
        issued = (
            _date(*date_field.groups())
            if date_field
            else _date(year if year.isdigit() else "", month if year.isdigit() else None)
        )
        accessed = _YEAR.match(fields.get("urldate", ""))
        entries.append(
            {
                "key": entry.key,
                "kind": BIBTEX_KINDS.get(entry.entry_type.lower(), Kind.OTHER),
                "authors": authors,
                "title": fields.get("title", ""),
                "container_title": fields.get("journal")
                or fields.get("journaltitle")
                or fields.get("booktitle", ""),
                "issued": issued,
                "volume": fields.get("volume", ""),
                "issue": fields.get("number", ""),
                "pages": fields.get("pages", "").replace("--", "–"),
                "publisher": fields.get("publisher") or fields.get("institution", ""),
                "place": fields.get("address") or fields.get("location", ""),
                "url": fields.get("url", ""),
                "accessed": _date(*accessed.groups()) if accessed else "",
                "doi": fields.get("doi", ""),
            }
        )
    if not entries and not errors:
        errors.append("No BibTeX entry was found: an entry starts with @book{key, …}.")
    return entries, errors


def _bibtex_people(value):
    people = []
    for name in re.split(r"\s+and\s+", str(value)):
        name = name.strip()
        if name.startswith("{") and name.endswith("}"):
            people.append({"literal": _clean(name)})
        elif name:
            people += parse_authors(_bibtex_name(_clean(name)))
    return people


def _bibtex_name(name):
    """ "Given Family" -> "Family, Given"; "Family, Given" and {Organisation} unchanged."""
    if "," in name or " " not in name:
        return name
    given, _, family = name.rpartition(" ")
    return f"{family}, {given}"


def parse_ris(text):
    if not re.search(r"^TY  - ", text or "", re.MULTILINE):
        return [], ["This is neither BibTeX (it starts with @) nor RIS (it starts with TY  - )."]
    import rispy  # loaded when someone pastes or imports

    try:
        records = rispy.loads(text)
    except (ValueError, KeyError, IndexError) as error:
        return [], [f"This RIS could not be read: {error}"]
    entries, errors = [], []
    for number, record in enumerate(records, start=1):
        if "title" not in record and "primary_title" not in record:
            errors.append(f"RIS record {number} has no title (TI).")
            continue
        names = record.get("authors") or record.get("first_authors") or []
        year = _YEAR.match(record.get("date") or record.get("publication_year") or "")
        if not year and record.get("year"):
            year = _YEAR.match(record["year"])
        accessed = _YEAR.match(record.get("access_date", ""))
        pages = record.get("start_page", "")
        if record.get("end_page"):
            pages = f"{pages}–{record['end_page']}"
        urls = record.get("urls") or []
        family = re.sub(r"\W+", "", (names[0].split(",")[0] if names else "ref").lower())
        entries.append(
            {
                "key": f"{family or 'ref'}{year.group(1) if year else ''}",
                "kind": RIS_KINDS.get(record.get("type_of_reference", ""), Kind.OTHER),
                "authors": parse_authors("\n".join(names)),
                "title": record.get("title") or record.get("primary_title", ""),
                "container_title": record.get("secondary_title")
                or record.get("journal_name")
                or record.get("alternate_title3", ""),
                "issued": _date(*year.groups()) if year else "",
                "volume": record.get("volume", ""),
                "issue": record.get("number", ""),
                "pages": pages,
                "publisher": record.get("publisher", ""),
                "place": record.get("place_published", ""),
                "url": urls[0] if urls else "",
                "accessed": _date(*accessed.groups()) if accessed else "",
                "doi": record.get("doi", ""),
            }
        )
    if not entries and not errors:
        errors.append("No RIS record was found: a record starts with TY  - and ends with ER  - .")
    return entries, errors


def _bibtex_value(name, value):
    if name != "author":  # an author list keeps its {Organisation} braces
        value = str(value).replace("{", "").replace("}", "")
    return "{" + str(value) + "}"


def to_bibtex(references):
    blocks = []
    for ref in references:
        fields = [("author", " and ".join(_person(a) for a in ref.authors)), ("title", ref.title)]
        container = "journal" if ref.kind == Kind.ARTICLE else "booktitle"
        fields += [
            (container, ref.container_title),
            ("year", ref.issued[:4]),
            ("date", ref.issued),
            ("volume", ref.volume),
            ("number", ref.issue),
            ("pages", ref.pages.replace("–", "--")),
            ("publisher", ref.publisher),
            ("address", ref.place),
            ("url", ref.url),
            ("urldate", ref.accessed.isoformat() if ref.accessed else ""),
            ("doi", ref.doi),
        ]
        body = ",\n".join(
            f"  {name} = {_bibtex_value(name, value)}" for name, value in fields if value
        )
        blocks.append(f"@{KIND_BIBTEX.get(ref.kind, 'misc')}{{{ref.key},\n{body}\n}}\n")
    return "\n".join(blocks)


def _person(author):
    if "literal" in author:
        return "{" + author["literal"] + "}"
    return ", ".join(part for part in (author.get("family"), author.get("given")) if part)


def to_ris(references):
    records = []
    for ref in references:
        record = {
            "type_of_reference": KIND_RIS.get(ref.kind, "GEN"),
            "authors": [_person(a).strip("{}") for a in ref.authors],
            "title": ref.title,
            "secondary_title": ref.container_title,
            "year": ref.issued[:4],
            "date": ref.issued.replace("-", "/"),
            "volume": ref.volume,
            "number": ref.issue,
            "publisher": ref.publisher,
            "place_published": ref.place,
            "urls": [ref.url] if ref.url else [],
            "doi": ref.doi,
            "access_date": ref.accessed.strftime("%Y/%m/%d") if ref.accessed else "",
            "id": ref.key,
        }
        if ref.pages:
            start, _, end = ref.pages.replace("--", "–").partition("–")
            record["start_page"] = start.strip()
            if end:
                record["end_page"] = end.strip()
        records.append({name: value for name, value in record.items() if value})
    import rispy  # loaded when someone downloads references as RIS

    return rispy.dumps(records)
