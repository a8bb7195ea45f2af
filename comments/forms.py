from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError

from blog.models import Post
from comments.models import MAX_BODY_LENGTH, Comment, has_control_characters

HONEYPOT = "homepage"


def clean_body_text(text):
    text = (text or "").strip()
    if not text:
        raise ValidationError("Please write something before posting.", code="empty")
    if len(text) > MAX_BODY_LENGTH:
        raise ValidationError(
            f"Comments can be up to {MAX_BODY_LENGTH:,} characters long; "
            f"this one has {len(text):,}. Please shorten it.",
            code="too_long",
        )
    return text


class CommentForm(forms.ModelForm):
    """A new comment or reply. Guests (not signed in) also give name, email, website."""

    body = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="*italic*, **bold**, > quote, [link](https://…), - lists, `code`.",
        strip=False,
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    guest_website = forms.URLField(
        label="Website", required=False, max_length=300, assume_scheme="https"
    )
    remember = forms.BooleanField(
        label="Save my name, email, and website in this browser for the next time I comment.",
        required=False,
    )
    # Follow-ups on the whole post, for guests and signed-in commenters alike.
    notify = forms.BooleanField(label="Notify me of follow-up comments by email", required=False)
    # Hidden from people (see .comment-form__trap); naive bots fill in every field.
    homepage = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Comment
        fields = ["body", "guest_name", "guest_email", "guest_website"]
        labels = {"guest_name": "Name", "guest_email": "Email"}
        help_texts = {"guest_email": "Never shown. Required with your name."}

    def __init__(self, *args, post, guest, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post  # the post, or the course page (Comment.target)
        self.parent_comment = None
        if not isinstance(post, Post):  # follow-ups by email follow posts only
            del self.fields["notify"]
        if guest:
            self.fields["guest_name"].required = True
            self.fields["guest_email"].required = True
        else:
            for name in ("guest_name", "guest_email", "guest_website", "remember"):
                del self.fields[name]

    def clean_body(self):
        return clean_body_text(self.cleaned_data.get("body"))

    def clean_guest_name(self):
        name = self.cleaned_data["guest_name"].strip()
        if has_control_characters(name):
            raise ValidationError(
                "Your name contains characters that can't be shown.", code="control_characters"
            )
        if not name:
            raise ValidationError("Please give your name.", code="required")
        return name

    def clean_guest_website(self):
        url = self.cleaned_data["guest_website"]
        if url and urlsplit(url).scheme not in ("http", "https"):
            raise ValidationError(
                "Enter a web address starting with http:// or https://.", code="scheme"
            )
        return url

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if parent_id is None:
            return None
        parent = (
            Comment.objects.for_target(self.post)
            .filter(pk=parent_id, status=Comment.Status.APPROVED)
            .first()
        )
        if parent is None:
            raise ValidationError(
                "The comment you are replying to is not part of this discussion.",
                code="bad_parent",
            )
        self.parent_comment = parent
        return parent_id

    def clean_homepage(self):
        if self.cleaned_data.get(HONEYPOT):
            raise ValidationError("Your comment could not be posted.", code="honeypot")
        return ""

    def service_values(self):
        """The cleaned values, as comments.services.post_comment takes them."""
        data = self.cleaned_data
        guest = ("guest_name", "guest_email", "guest_website", "notify")
        return {
            "body": data["body"],
            "parent_id": data.get("parent"),
            **{name: data[name] for name in guest if name in data},
        }


class CommentEditForm(forms.ModelForm):
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 6}), strip=False)

    class Meta:
        model = Comment
        fields = ["body"]

    def clean_body(self):
        return clean_body_text(self.cleaned_data.get("body"))


class QueueReplyForm(forms.Form):
    """A moderator's reply to a held comment, from the moderation queue."""

    body = forms.CharField(
        label="Your reply", widget=forms.Textarea(attrs={"rows": 3}), strip=False
    )

    def clean_body(self):
        return clean_body_text(self.cleaned_data.get("body"))


class ModerationForm(forms.Form):
    """Bulk moderation: the view passes the comments a moderator may act on."""

    ACTIONS = [("approve", "Approve"), ("spam", "Mark as spam"), ("remove", "Remove")]

    action = forms.ChoiceField(choices=ACTIONS)
    comments = forms.ModelMultipleChoiceField(
        queryset=Comment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one comment."},
    )

    def __init__(self, *args, comments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comments"].queryset = comments
