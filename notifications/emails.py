"""The emails notifications send: built here, sent by notifications.tasks.

Each has a plain-text part (a comment's words as text, never its Markdown) and an
HTML part: the same text, with the comment's stored, sanitised HTML as a quotation.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, linebreaks, urlize
from django.utils.safestring import mark_safe

from accounts.names import shown_name
from assignments.times import course_zone, due_text
from blog.embeds import as_links
from blog.rendering import html_to_text
from notifications.models import Notification, NotificationPreference


def absolute(path):
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{settings.SITE_DOMAIN}{path}"


def notification_message(notification):
    """The email for a user's notification, or None when they don't want it."""
    recipient = notification.recipient
    preferences = NotificationPreference.objects.for_user(recipient)
    if not recipient.email or not preferences.wants_email(notification.kind):
        return None
    context = {
        "notification": notification,
        "recipient": recipient,
        "post": notification.target,  # a post, or a course page (its comments)
        "comment": notification.comment,
        "grant": notification.grant,
        "target_url": absolute(notification.get_absolute_url()),
        "moderation_url": absolute(
            reverse("comments:moderation_queue", args=[notification.target.course.slug])
        ),
        "preferences_url": absolute(reverse("notifications:preferences")),
        "unsubscribe_url": absolute(
            NotificationPreference.unsubscribe_url(recipient, notification.kind)
        ),
        "site_name": settings.SITE_NAME,
    }
    if notification.kind == Notification.Kind.AWARD_RECEIVED:
        # The awards app's words, so the author gets the one congratulation it wrote.
        grant = notification.grant
        context |= {"award": grant.award, "author": recipient, "post_url": context["target_url"]}
    return _message(f"notifications/email/{notification.kind}", context, recipient.email)


def due_reminder_message(reminder):
    """The email reminding a student of an assignment due soon, or None when unwanted."""
    student, assignment = reminder.student, reminder.assignment
    kind = Notification.Kind.DUE_SOON
    if not student.email or not NotificationPreference.objects.for_user(student).wants_email(kind):
        return None
    tz = course_zone(assignment.course)
    context = {
        "student": student,
        "assignment": assignment,
        "course": assignment.course,
        "due": due_text(reminder.due_at, tz),
        "target_url": absolute(assignment.get_absolute_url()),
        "preferences_url": absolute(reverse("notifications:preferences")),
        "unsubscribe_url": absolute(NotificationPreference.unsubscribe_url(student, kind)),
        "site_name": settings.SITE_NAME,
    }
    return _message("notifications/email/due_soon", context, student.email)


def guest_message(subscription, comment):
    """The follow-up email to a guest who follows comment's thread."""
    context = {
        "subscription": subscription,
        "comment": comment,
        # A guest is outside the course: a student's public name (accounts.names).
        "commenter": shown_name(comment.author, comment.post.course, None).text
        if comment.author_id
        else comment.name,
        "post": comment.post,
        "target_url": absolute(comment.get_absolute_url()),
        "unsubscribe_url": absolute(subscription.get_unsubscribe_url()),
        "site_name": settings.SITE_NAME,
    }
    return _message("notifications/email/guest_followup", context, subscription.email)


# Stands for the comment in the text rendered for the HTML part (letters only, so
# escaping and linking the text leave it alone).
COMMENT_MARK = "CommonplaceCommentGoesHere"


def _message(template, context, to):
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    comment = context.get("comment")
    text = render_to_string(
        f"{template}_body.txt",
        context | {"comment_text": html_to_text(as_links(comment.body_html)) if comment else ""},
    )
    headers = {
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    message = EmailMultiAlternatives(subject, text, None, [to], headers=headers)
    marked = render_to_string(f"{template}_body.txt", context | {"comment_mark": COMMENT_MARK})
    message.attach_alternative(html_part(subject, marked, comment), "text/html")
    return message


def html_part(subject, text, comment):
    """The text as HTML (escaped, paragraphs, links), the comment quoted as stored HTML
    (sanitised by nh3 when it was saved)."""
    body = linebreaks(urlize(text.strip(), nofollow=True, autoescape=True))
    if comment is not None:
        quote = f'<blockquote class="comment">{as_links(comment.body_html)}</blockquote>'
        body = body.replace(f"<p>{COMMENT_MARK}</p>", quote).replace(COMMENT_MARK, quote)
    return mark_safe(  # noqa: S308 (every part escaped above; body_html sanitised on save)
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(subject)}</title></head><body>{body}</body></html>"
    )
