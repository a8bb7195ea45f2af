"""A post's bibliography: ordered, structured references, rendered in the course's style."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Max

# A citation key: what [@key] names in the body. Letters, digits and : . _ - after
# a letter or digit, as pandoc and BibTeX keys are.
KEY_PATTERN = r"[A-Za-z0-9][\w:.\-]*"
_KEY = re.compile(rf"^{KEY_PATTERN}$")
# "2009", "2009-03" or "2009-03-26".
_ISSUED = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

http_url = URLValidator(schemes=["http", "https"], message="Enter an http or https address.")


def validate_key(value):
    if not _KEY.match(value):
        raise ValidationError(
            "Use letters, digits and : . _ - (for example cohen1985), starting with a letter "
            "or digit.",
            code="key",
        )


def validate_issued(value):
    match = _ISSUED.match(value)
    if not match:
        raise ValidationError(
            "Write the date as a year (1985), a year and month (1985-03) or a full date "
            "(1985-03-26).",
            code="issued",
        )
    month, day = match.group(2), match.group(3)
    if month and not 1 <= int(month) <= 12 or day and not 1 <= int(day) <= 31:
        raise ValidationError("That date does not exist.", code="issued")


def parse_authors(text):
    """One person a line: "Family, Given"; a line without a comma is an organisation."""
    authors = []
    for line in (text or "").splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        if "," in line:
            family, given = (part.strip() for part in line.split(",", 1))
            authors.append({"family": family, "given": given} if given else {"family": family})
        else:
            authors.append({"literal": line})
    return authors


def format_authors(authors):
    """The inverse of parse_authors: the text an author edits."""
    lines = []
    for author in authors or []:
        if "literal" in author:
            lines.append(author["literal"])
        elif author.get("given"):
            lines.append(f"{author['family']}, {author['given']}")
        else:
            lines.append(f"{author.get('family', '')},")
    return "\n".join(lines)


# Sources that live on the web: without a URL (or DOI) nobody can find them again.
WEB_KINDS = ["webpage"]
INCOMPLETE = models.Q(issued="") | models.Q(kind__in=WEB_KINDS, url="", doi="")


class ReferenceQuerySet(models.QuerySet):
    def for_post(self, post):
        return self.filter(post=post).order_by("position", "pk")

    def for_course(self, course):
        return self.filter(post__course=course)

    def incomplete(self):
        """No date, or a web source with no way to find it (neither URL nor DOI). A
        printed book, an article or an archival document needs no URL."""
        return self.filter(INCOMPLETE)


class Reference(models.Model):
    class Kind(models.TextChoices):
        # Values are CSL item types, so rendering needs no mapping.
        BOOK = "book", "Book"
        CHAPTER = "chapter", "Book chapter"
        ARTICLE = "article-journal", "Journal article"
        MAGAZINE = "article-magazine", "Magazine article"
        NEWSPAPER = "article-newspaper", "Newspaper article"
        WEBPAGE = "webpage", "Web page"
        IMAGE = "graphic", "Image"
        FILM = "motion_picture", "Film"
        ARCHIVAL = "manuscript", "Archival document"
        REPORT = "report", "Report"
        THESIS = "thesis", "Thesis"
        OTHER = "document", "Other"

    post = models.ForeignKey("blog.Post", on_delete=models.CASCADE, related_name="references")
    position = models.PositiveIntegerField(default=0)
    key = models.CharField(
        max_length=60,
        validators=[validate_key],
        help_text="Cite it in the text as [@key], or [@key, p. 16] for a page.",
    )
    kind = models.CharField("type", max_length=20, choices=Kind.choices, default=Kind.BOOK)
    authors = models.JSONField(default=list, blank=True)
    title = models.CharField(max_length=500)
    container_title = models.CharField(
        "in (journal, book or site)",
        max_length=300,
        blank=True,
        help_text="The journal, the book a chapter is in, the web site or archive.",
    )
    issued = models.CharField(
        "date",
        max_length=10,
        blank=True,
        validators=[validate_issued],
        help_text="1985, 1985-03 or 1985-03-26. Leave empty if undated.",
    )
    volume = models.CharField(max_length=20, blank=True)
    issue = models.CharField(max_length=20, blank=True)
    pages = models.CharField(max_length=30, blank=True, help_text="For example 402–438.")
    publisher = models.CharField(max_length=200, blank=True)
    place = models.CharField("place of publication", max_length=100, blank=True)
    url = models.URLField("URL", max_length=1000, blank=True, validators=[http_url])
    accessed = models.DateField("accessed on", null=True, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True, help_text="For example 10.1086/ahr.")
    is_image_credit = models.BooleanField(
        "credit for the featured image",
        default=False,
        help_text="Show this reference, in the course's style, as the featured image's credit.",
    )
    # The entry in the course's citation style: rendered (and escaped) by services on save.
    html = models.TextField(editable=False, default="")

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["post", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "key"], name="reference_key_unique_per_post"),
            models.UniqueConstraint(
                fields=["post"],
                condition=models.Q(is_image_credit=True),
                name="one_image_credit_reference_per_post",
            ),
        ]

    def __str__(self):
        return f"{self.key}: {self.title}"

    def save(self, *args, **kwargs):
        if self._state.adding and not self.position:
            last = Reference.objects.filter(post_id=self.post_id).aggregate(m=Max("position"))
            self.position = (last["m"] or 0) + 1
        super().save(*args, **kwargs)

    def get_anchor(self):
        return f"ref-{self.key}"

    @property
    def is_missing_url(self):
        return not self.url and not self.doi

    @property
    def is_missing_date(self):
        return not self.issued

    def move(self, *, up):
        """Swap places with the neighbour above (up) or below."""
        siblings = Reference.objects.filter(post_id=self.post_id)
        if up:
            other = siblings.filter(position__lt=self.position).order_by("-position").first()
        else:
            other = siblings.filter(position__gt=self.position).order_by("position").first()
        if other is None:
            return False
        Reference.objects.filter(pk=self.pk).update(position=other.position)
        Reference.objects.filter(pk=other.pk).update(position=self.position)
        self.position, other.position = other.position, self.position
        return True

    def to_csl(self):
        """This reference as a CSL-JSON item (what citeproc renders)."""
        item = {"id": self.key, "type": self.kind, "title": self.title}
        if self.authors:
            item["author"] = self.authors
        optional = {
            "container-title": self.container_title,
            "volume": self.volume,
            "issue": self.issue,
            "page": self.pages,
            "publisher": self.publisher,
            "publisher-place": self.place,
            "URL": self.url,
            "DOI": self.doi,
        }
        item.update({name: value for name, value in optional.items() if value})
        if self.issued:
            item["issued"] = {"date-parts": [[int(p) for p in self.issued.split("-")]]}
        if self.accessed:
            a = self.accessed
            item["accessed"] = {"date-parts": [[a.year, a.month, a.day]]}
        return item


def renumber(post):
    """Close the gaps in a post's positions (1, 2, 3, …) after a removal."""
    for position, pk in enumerate(
        Reference.objects.for_post(post).values_list("pk", flat=True), start=1
    ):
        Reference.objects.filter(pk=pk).exclude(position=position).update(position=position)
