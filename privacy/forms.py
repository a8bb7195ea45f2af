from django import forms
from django.core.exceptions import ValidationError


class ConfirmErasureForm(forms.Form):
    """Type the username to confirm an erasure (it can't be undone)."""

    username = forms.CharField(
        label="Type the username to confirm",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )

    def __init__(self, *args, expected, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected = expected

    def clean_username(self):
        typed = self.cleaned_data["username"].strip()
        if typed != self.expected:
            raise ValidationError(
                "That is not the username. Type it exactly as shown.", code="username_mismatch"
            )
        return typed
