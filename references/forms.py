import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.exceptions import ValidationError

from references import formats
from references.models import Reference, format_authors, http_url, parse_authors

_NOT_KEY = re.compile(r"[^A-Za-z0-9]+")


class ReferenceForm(forms.ModelForm):
    url = forms.URLField(label="URL", max_length=1000, required=False, assume_scheme="https")
    authors_text = forms.CharField(
        label="Authors",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line: “Family, Given” for a person; an organisation's name as it is.",
    )

    class Meta:
        model = Reference
        fields = [
            "kind", "authors_text", "title", "container_title", "issued", "volume", "issue",
            "pages", "publisher", "place", "url", "accessed", "doi", "key", "is_image_credit",
        ]  # fmt: skip
        widgets = {"accessed": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        self.fields["url"].validators = [http_url]  # one message for any other scheme
        self.fields["url"].error_messages["invalid"] = http_url.message
        self.fields["key"].required = False
        self.fields["key"].help_text = (
            "Cite it in your text as [@key], or [@key, p. 16] for a page. "
            "Leave empty to make one from the first author and year."
        )
        if self.instance.pk and not self.is_bound:
            self.initial["authors_text"] = format_authors(self.instance.authors)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "kind", "authors_text", "title", "container_title",
            Row(Column("issued", css_class="col-sm-4"), Column("volume", css_class="col-sm-4"),
                Column("issue", css_class="col-sm-4")),
            Row(Column("pages", css_class="col-sm-4"), Column("publisher", css_class="col-sm-4"),
                Column("place", css_class="col-sm-4")),
            Row(Column("url", css_class="col-sm-8"), Column("accessed", css_class="col-sm-4")),
            Row(Column("doi", css_class="col-sm-6"), Column("key", css_class="col-sm-6")),
            "is_image_credit",
        )  # fmt: skip

    def clean_authors_text(self):
        return parse_authors(self.cleaned_data["authors_text"])

    def clean(self):
        cleaned = super().clean()
        if "key" in cleaned and not cleaned["key"] and "title" in cleaned:
            cleaned["key"] = self._suggest_key(cleaned)
        key = cleaned.get("key")
        if key:
            taken = self._references().filter(key=key).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "key",
                    ValidationError(
                        "This post already has a reference [@%(key)s].",
                        code="key_taken",
                        params={"key": key},
                    ),
                )
        return cleaned

    def _references(self):
        """The post's references: none yet for a post never saved (the editor's section)."""
        return (
            Reference.objects.filter(post=self.post) if self.post.pk else Reference.objects.none()
        )

    def _suggest_key(self, cleaned):
        authors = cleaned.get("authors_text") or []
        first = authors[0] if authors else {}
        name = first.get("family") or first.get("literal") or cleaned["title"].split()[0]
        base = _NOT_KEY.sub("", name).lower()[:30] or "ref"
        key = base + (cleaned.get("issued") or "")[:4]
        taken = set(self._references().exclude(pk=self.instance.pk).values_list("key", flat=True))
        candidate, n = key, 2
        while candidate in taken:
            candidate, n = f"{key}{chr(ord('a') + n - 2)}", n + 1
        return candidate

    def values(self):
        """The cleaned fields as the plain values services take."""
        values = {
            name: value for name, value in self.cleaned_data.items() if name != "authors_text"
        }
        values["authors"] = self.cleaned_data.get("authors_text") or []
        return values


class PasteForm(forms.Form):
    text = forms.CharField(
        label="Paste BibTeX or RIS",
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        max_length=50_000,
        help_text="From Zotero, Google Scholar or a library catalogue: one or more entries.",
    )

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        self.entries = []

    def clean_text(self):
        text = self.cleaned_data["text"]
        entries, errors = formats.parse(text)
        problems = [ValidationError(error, code="unreadable") for error in errors]
        for number, entry in enumerate(entries, start=1):
            data = {**entry, "authors_text": format_authors(entry["authors"]), "key": ""}
            form = ReferenceForm(data, post=self.post)
            if form.is_valid():
                self.entries.append({**form.values(), "key": entry["key"] or form.values()["key"]})
                continue
            label = entry["key"] or f"entry {number}"
            for field, messages in form.errors.items():
                name = form.fields[field].label if field in form.fields else ""
                for message in messages:
                    problems.append(
                        ValidationError(
                            "%(entry)s, %(field)s: %(message)s",
                            code="invalid_entry",
                            params={"entry": label, "field": str(name).lower(), "message": message},
                        )
                    )
        if problems:
            raise ValidationError(problems)
        return text
