"""What references add to blog's pages (registered in ReferencesConfig.ready)."""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from blog.models import Post
from references import services
from references.citekeys import CITATION, cited_keys
from references.models import Reference

REFERENCES_SECTION = '<section class="references" id="references"'


def add_references(post, html):
    """Body filter: each [@key …] in the rendered body becomes its citation in the
    course's style (keys the post has no reference for are marked), and the post's
    references follow the text as a "References" section. Stored with the body, so the
    post page spends no query on them; services re-render the body on every change."""
    if not isinstance(post, Post):  # a course page: it cites the course's bibliography
        references = course_references_cited(post.course, html)
    else:
        references = list(Reference.objects.for_post(post)) if post.pk else []
    if CITATION.search(html):
        from references.citing import Renderer  # citeproc-py: only to render citations

        html = Renderer(references, post.course.citation_style).link_citations(html)
    if references:
        section = render_to_string("references/_post_references.html", {"references": references})
        html = f"{html}\n{section}"
    return html


def course_references_cited(course, html):
    """The references of the course's published public posts that `html` cites by key
    (the first entry of each key): what a course page (coursepages), which has no
    references of its own, cites. Only public posts', so a page shows nothing of a
    post its readers may not read."""
    keys = cited_keys(html)
    if not keys:
        return []
    found = (
        Reference.objects.for_course(course)
        .filter(key__in=keys, post__status=Post.Status.PUBLISHED, post__visibility="public")
        .order_by("key", "pk")
    )
    first = {}
    for reference in found:
        first.setdefault(reference.key, reference)
    return [first[key] for key in keys if key in first]


def post_reference_links(request, post):
    """Under a post with references: download them, and manage them for its editors.
    No query: the stored body says whether there are any."""
    if REFERENCES_SECTION not in post.body_html:
        return None
    return {"can_edit_references": post.can_edit(request.user)}


# The fields of a reference typed by hand in the editor (the rest are on the references
# page): ReferenceForm's own fields, labelled so that none reads like the post's.
EDITOR_FIELDS = {
    "kind": "Type of work",
    "authors_text": "Authors of the work",
    "title": "Name of the work",  # its title; not "Title", which is the post's
    "container_title": "In (journal, book or site)",
    "issued": "Date of the work",
    "publisher": "Publisher",
    "url": "Address (URL) of the work",
    "key": "Citation key",
}
TYPED = [name for name in EDITOR_FIELDS if name != "kind"]  # "kind" always has a value


class EditorReferencesForm(forms.Form):
    """The editor's references section: lists what can be cited, takes new references
    (pasted BibTeX/RIS, or one typed by hand) that are saved with the post, even a post
    never saved before, and refuses to publish a text citing a key the post has no
    reference for (a draft may, and is flagged)."""

    shown = forms.BooleanField(required=False, initial=True, widget=forms.HiddenInput)
    paste = forms.CharField(
        label="Paste BibTeX or RIS",
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text="From Zotero, Google Scholar or a library catalogue: one or more entries.",
    )

    def __init__(self, data=None, *, post, course, prefix, initial=None):
        super().__init__(data, prefix=prefix, initial=initial)
        from references.forms import ReferenceForm

        for name, label in EDITOR_FIELDS.items():
            field = copy.deepcopy(ReferenceForm.base_fields[name])
            field.label, field.required = label, False
            self.fields[name] = field
        self.fields["authors_text"].widget.attrs["rows"] = 2
        self.fields["title"].help_text = "Its title, as printed."
        self.fields["key"].help_text = (
            "Cite it in your text as [@key]. Leave empty to make one from the first author "
            "and year."
        )
        self.post = post
        self.references = list(Reference.objects.for_post(post)) if post.pk else []
        self._body = data.get("body", "") if data is not None else ""
        self._action = data.get("action", "") if data is not None else ""

    @property
    def is_open(self):
        """Whether "Add a reference" shows open: something was typed, or is wrong."""
        typed = any(self[name].value() for name in ["paste", *TYPED])
        return bool(typed or (self.is_bound and self.errors))

    def clean(self):
        cleaned = super().clean()
        entries = self._pasted(cleaned.get("paste")) + self._typed(cleaned)
        cleaned["entries"] = entries
        publishing = self._action == "publish" or (
            self._action == "update" and self.post.is_published
        )
        known = {reference.key for reference in self.references}
        known |= {entry["key"] for entry in entries}
        missing = [key for key in cited_keys(self._body) if key not in known]
        if publishing and missing:
            keys = ", ".join(f"[@{key}]" for key in missing)
            raise ValidationError(
                "Not published: your text cites %(keys)s, which this post has no reference "
                "for. Add it under References (what you typed is still here), or correct the key.",
                code="unknown_citation",
                params={"keys": keys},
            )
        return cleaned

    def _pasted(self, text):
        from references.forms import PasteForm

        if not text:
            return []
        paste = PasteForm({"text": text}, post=self.post)
        if paste.is_valid():
            return paste.entries
        for error in paste.errors.get("text", []):
            self.add_error("paste", error)
        return []

    def _typed(self, cleaned):
        from references.forms import ReferenceForm

        if not any(self.data.get(self.add_prefix(name), "").strip() for name in TYPED):
            return []
        data = {name: self.data.get(self.add_prefix(name), "") for name in EDITOR_FIELDS}
        form = ReferenceForm(data, post=self.post)
        if form.is_valid():
            return [form.values()]
        for name, errors in form.errors.items():
            for error in errors:
                self.add_error(name if name in self.fields else None, error)
        return []


def save_editor_section(*, post, cleaned_data):
    """In the post's transaction, after it is saved: the references typed or pasted in
    the editor join the post (which renders its citations again)."""
    if cleaned_data.get("entries"):
        services.add_references(post=post, entries=cleaned_data["entries"])
