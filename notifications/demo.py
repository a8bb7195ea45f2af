"""Demo notifications for seed_demo: what the demo discussion would have told people.

Rows only, no emails: the demo's comments and grants were made directly, not through
the services that notify. The newest three of each person stay unread, so the bell
shows something on first sign-in. Feedback and grades went through assignments'
services, which notified as they would on the site: those rows are already there, and
seeding again is told by the kinds made here alone.
"""

from collections import defaultdict

from awards.models import AwardGrant
from comments.models import Comment
from notifications.models import Notification

UNREAD_PER_PERSON = 3
SEEDED_KINDS = [
    Notification.Kind.COMMENT_ON_POST,
    Notification.Kind.REPLY_TO_COMMENT,
    Notification.Kind.AWARD_RECEIVED,
    Notification.Kind.COMMENT_PENDING,
]


def seed(ctx):
    course = ctx["course"]
    if Notification.objects.filter(post__course=course, kind__in=SEEDED_KINDS).exists():
        return
    rows = []
    comments = Comment.objects.filter(post__course=course).select_related(
        "post", "parent", "author"
    )
    instructors = [ctx["users"]["hmarsh"]]
    for comment in comments.order_by("created"):
        if comment.status == Comment.Status.PENDING:
            rows += [
                Notification(
                    recipient=person,
                    kind=Notification.Kind.COMMENT_PENDING,
                    post=comment.post,
                    comment=comment,
                    actor_name=comment.name,
                    created=comment.created,
                )
                for person in instructors
            ]
            continue
        if comment.status != Comment.Status.APPROVED:
            continue
        recipients = {}
        if comment.parent_id and comment.parent.author_id:
            recipients[comment.parent.author_id] = Notification.Kind.REPLY_TO_COMMENT
        recipients.setdefault(comment.post.author_id, Notification.Kind.COMMENT_ON_POST)
        recipients.pop(comment.author_id, None)
        rows += [
            Notification(
                recipient_id=user_id,
                kind=kind,
                post=comment.post,
                comment=comment,
                actor_name=comment.name,
                created=comment.created,
            )
            for user_id, kind in recipients.items()
        ]
    for grant in AwardGrant.objects.filter(post__course=course).select_related(
        "post", "granted_by"
    ):
        rows.append(
            Notification(
                recipient_id=grant.post.author_id,
                kind=Notification.Kind.AWARD_RECEIVED,
                post=grant.post,
                grant=grant,
                actor_name=grant.granted_by.name if grant.granted_by_id else "",
                created=grant.granted_at,
            )
        )
    by_person = defaultdict(list)
    for row in rows:
        by_person[row.recipient_id].append(row)
    for person_rows in by_person.values():
        person_rows.sort(key=lambda row: row.created)
        for row in person_rows[:-UNREAD_PER_PERSON]:
            row.read_at = row.created
    Notification.objects.bulk_create(rows)
