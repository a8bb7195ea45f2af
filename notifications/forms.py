from django import forms

from notifications.models import NotificationPreference


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = [
            "email_comment_on_post",
            "email_reply_to_comment",
            "email_award_received",
            "email_comment_pending",
            "email_feedback",
            "email_due_soon",
            "email_grade",
            "email_post_live",
            "email_announcement",
        ]
