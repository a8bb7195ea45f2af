"""What references add to blog's pages (registered in ReferencesConfig.ready)."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from references.citekeys import CITATION, unknown_keys
from references.models import Reference

REFERENCES_SECTION = '<section class="references" id="references"'


def add_references(post, html):
    """Body filter: each [@key …] in the rendered body becomes its citation in the
    course's style (keys the post has no reference for are marked), and the post's
    references follow the text as a "References" section. Stored with the body, so the
    post page spends no query on them; services re-render the body on every change."""
    references = list(Reference.objects.for_post(post)) if post.pk else []
    if CITATION.search(html):
        from references.citing import Renderer  # citeproc-py: only to render citations

        html = Renderer(references, post.course.citation_style).link_citations(html)
    if references:
        section = render_to_string("references/_post_references.html", {"references": references})
        html = f"{html}\n{section}"
    return html


def post_reference_links(request, post):
    """Under a post with references: download them, and manage them for its editors.
    No query: the stored body says whether there are any."""
    if REFERENCES_SECTION not in post.body_html:
        return None
    return {"can_edit_references": post.can_edit(request.user)}


class EditorReferencesForm(forms.Form):
    """The editor's references section: lists what can be cited, and refuses to publish
    a text citing a key the post has no reference for (a draft may, and is flagged)."""

    shown = forms.BooleanField(required=False, initial=True, widget=forms.HiddenInput)

    def __init__(self, data=None, *, post, course, prefix, initial=None):
        super().__init__(data, prefix=prefix, initial=initial)
        self.post = post
        self.references = list(Reference.objects.for_post(post)) if post.pk else []
        self._body = data.get("body", "") if data is not None else ""
        self._action = data.get("action", "") if data is not None else ""

    def clean(self):
        publishing = self._action == "publish" or (
            self._action == "update" and self.post.is_published
        )
        missing = unknown_keys(self._body, self.references) if publishing else []
        if missing:
            keys = ", ".join(f"[@{key}]" for key in missing)
            raise ValidationError(
                "Not published: your text cites %(keys)s, which this post has no reference "
                "for. Add it under References (what you typed is still here), or correct the key.",
                code="unknown_citation",
                params={"keys": keys},
            )
        return super().clean()


def save_editor_section(*, post, cleaned_data):
    """Nothing to store: references are saved on their own page."""
