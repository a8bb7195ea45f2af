"""Invitation links (blog.models.Invitation): finding one from its link, and accepting
it after someone signs up or signs in.

A visitor who opens a link while signed out is asked to sign up or sign in; the link's
token waits in their session, and the sign-in (``user_logged_in``, which allauth sends
after a sign-up too) accepts it. The key is dropped at that sign-in whatever happens, so
the session goes back to holding only the sign-in (the pagecache package's member pages).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError

from blog import services
from blog.models import Invitation, invitation_token_hash

SESSION_KEY = "invitation_token"


def invitation_for(token):
    """The invitation a link's token opens (with its course), or None."""
    if not token or len(token) > 100:
        return None
    found = Invitation.objects.select_related("course", "invited_by")
    return found.filter(token_hash=invitation_token_hash(token)).first()


def remember(request, token):
    request.session[SESSION_KEY] = token


def accept_on_sign_in(sender, request, user, **kwargs):
    """``user_logged_in``: accept the invitation the visitor opened before signing in."""
    session = getattr(request, "session", None)
    token = session.pop(SESSION_KEY, None) if session is not None else None
    invitation = invitation_for(token)
    if invitation is None:
        return
    try:
        _, created = services.accept_invitation(invitation=invitation, user=user)
    except ValidationError as error:
        messages.warning(request, error.messages[0], fail_silently=True)
    else:
        messages.success(request, joined_message(invitation, created), fail_silently=True)


def joined_message(invitation, created):
    course = invitation.course.title
    if not created:
        return f"You were already a member of {course}."
    role = invitation.get_role_display().lower()
    return f"Welcome to {course}: you joined as {'an' if role[0] in 'aeiou' else 'a'} {role}."
