"""The words of an import's report, in one place for its page and the command, with
plurals from ngettext ("1 placeholder", "2 placeholders").

``sections(report)`` turns the report an import stored (``Importer.summary``) into
``Section``s: a heading, sentences, and rows that name a path or shortcode (shown as
code). The page's template and ``manage.py import_wordpress`` print the same ones.
"""

from dataclasses import dataclass, field

from django.utils.translation import ngettext


@dataclass
class Row:
    before: str = ""
    code: str = ""
    after: str = ""

    def __str__(self):
        return f"{self.before}{self.code}{self.after}"


@dataclass
class Section:
    title: str
    lines: list = field(default_factory=list)
    rows: list = field(default_factory=list)


def _n(singular, plural, n, **values):
    return ngettext(singular, plural, n) % {"n": n, **values}


def _titles(titles):
    return ", ".join(titles)


def posts_section(report):
    posts = report.get("posts", {})
    lines = [
        _n("%(n)d published", "%(n)d published", posts.get("published", 0))
        + ", "
        + _n("%(n)d draft", "%(n)d drafts", posts.get("draft", 0)),
        f"{posts.get('created', 0)} new, {posts.get('updated', 0)} updated",
        f"{posts.get('skipped', 0)} skipped",
    ]
    if posts.get("refused"):
        lines.append(f"{posts['refused']} refused (listed under “Left behind”)")
    if report.get("topics"):
        lines.append(_n("%(n)d new topic", "%(n)d new topics", report["topics"]))
    if private := report.get("private"):
        lines.append(
            _n(
                "Private on WordPress, now a draft only you and the author see: %(titles)s",
                "Private on WordPress, now drafts only you and the author see: %(titles)s",
                len(private),
                titles=_titles(private),
            )
        )
    if scheduled := report.get("scheduled"):
        lines.append(
            _n(
                "Scheduled on WordPress, now a draft: %(titles)s",
                "Scheduled on WordPress, now drafts: %(titles)s",
                len(scheduled),
                titles=_titles(scheduled),
            )
        )
    return Section("Posts", lines)


def pages_section(report):
    """WordPress pages, now the course's pages (coursepages); None when there were none."""
    pages = report.get("pages", {})
    if not any(pages.values()):
        return None
    lines = [
        _n("%(n)d published", "%(n)d published", pages.get("published", 0))
        + ", "
        + _n("%(n)d draft", "%(n)d drafts", pages.get("draft", 0)),
        f"{pages.get('created', 0)} new, {pages.get('updated', 0)} updated",
        "Published pages are in the course menu, in their WordPress order.",
    ]
    if pages.get("skipped"):
        lines.append(f"{pages['skipped']} skipped")
    if pages.get("refused"):
        lines.append(f"{pages['refused']} refused (listed under “Left behind”)")
    return Section("Pages", lines)


def comments_section(report):
    comments = report.get("comments", {})
    lines = [
        f"{comments.get('approved', 0)} approved, "
        f"{comments.get('pending', 0)} waiting for moderation",
        f"{comments.get('spam', 0)} spam, {comments.get('removed', 0)} removed",
        _n("%(n)d pingback", "%(n)d pingbacks", comments.get("pingback", 0))
        + " and "
        + _n("%(n)d trackback", "%(n)d trackbacks", comments.get("trackback", 0))
        + " skipped",
    ]
    if comments.get("refused"):
        lines.append(f"{comments['refused']} refused (listed under “Left behind”)")
    return Section("Comments", lines)


def people_section(report):
    created = report.get("users", {}).get("created", [])
    line = _n("%(n)d placeholder", "%(n)d placeholders", len(created))
    if created:
        line += f": {', '.join(created)}"
    return Section(
        "People",
        [
            line + ".",
            "Each becomes its person's when they sign in here with the same verified "
            "email; nothing was written under an existing account.",
        ],
    )


def images_section(report):
    media = report.get("media", {})
    missing, skipped = media.get("missing", []), media.get("skipped", [])
    placeholders = media.get("placeholders", {})
    line = f"{media.get('found', 0)} found"
    if missing:
        line += f", {len(missing)} missing from the upload"
    if skipped:
        line += f", {len(skipped)} skipped"
    rows = [Row("missing: ", path) for path in missing]
    rows += [Row("skipped: ", entry["path"], f" ({entry['reason']})") for entry in skipped]
    lines = [line]
    if placeholders:
        lines.append(
            _n(
                "%(n)d post shows “Image not imported” in place of these images:",
                "%(n)d posts show “Image not imported” in place of these images:",
                len(placeholders),
            )
        )
        rows += [
            Row(f"{title}: ", ", ".join(paths)) for title, paths in sorted(placeholders.items())
        ]
    return Section("Images", lines, rows)


def award_section(report):
    award = report.get("award")
    if not award:
        return None
    line = _n(
        "“%(name)s” granted to %(n)d post",
        "“%(name)s” granted to %(n)d posts",
        award["granted"],
        name=award["name"],
    )
    if award.get("drafts_not_granted"):
        line += " " + _n(
            "(%(n)d draft in the category was not)",
            "(%(n)d drafts in the category were not)",
            award["drafts_not_granted"],
        )
    return Section("Award", [line + "."])


def left_behind_section(report):
    rows = [Row(f"{entry['what']}: {entry['reason']}") for entry in report.get("skipped", [])]
    rows += [
        Row(f"Refused {entry['what']}: {entry['reason']}") for entry in report.get("refused", [])
    ]
    rows += [
        Row("Shortcode ", f"[{name}]", f" kept as text in {_titles(titles)}")
        for name, titles in report.get("shortcodes", {}).items()
    ]
    return Section("Left behind", [], rows) if rows else None


def old_links_line(report):
    n = report.get("old_links", 0)
    site = report.get("site", {}).get("link", "")
    line = _n(
        "%(n)d old link of %(site)s now leads here.",
        "%(n)d old links of %(site)s now lead here.",
        n,
        site=site,
    )
    if refused := report.get("old_links_refused"):
        line += " " + _n(
            "Left out, as an address of this site: %(paths)s.",
            "Left out, as addresses of this site: %(paths)s.",
            len(refused),
            paths=", ".join(refused),
        )
    return line


def sections(report):
    """The report's sections, in the order the page shows them (empty ones left out)."""
    found = [
        posts_section(report),
        pages_section(report),
        comments_section(report),
        people_section(report),
        images_section(report),
        award_section(report),
        left_behind_section(report),
    ]
    return [section for section in found if section is not None]


def as_text(report):
    """The report as the command prints it."""
    lines = []
    for section in sections(report):
        lines.append(f"{section.title}:")
        lines += [f"  {line}" for line in section.lines]
        lines += [f"  - {row}" for row in section.rows]
    lines.append(old_links_line(report))
    return "\n".join(lines)
