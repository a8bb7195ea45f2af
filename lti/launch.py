"""Checking an LTI 1.3 launch as the specification says (docs/lti.md, "What a launch
checks"): the login it answers (state, nonce used once), then pylti1p3's MessageLaunch
with our checks on top (lti.library.CheckedLaunch): the platform's signature against
its JWKS (cached, fetched again for an unknown kid), iss, aud and azp, exp and iat
with a small leeway, the deployment, the message type and version, and the claims
Commonplace needs. Everything here only reads, but for consuming the login attempt;
what a launch writes is in lti.services."""

import logging
from dataclasses import dataclass

from django.db import transaction

from lti.errors import LaunchRefused
from lti.models import LoginAttempt, Platform

logger = logging.getLogger("commonplace.lti")

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/"
RESOURCE_LINK = "LtiResourceLinkRequest"
DEEP_LINKING = "LtiDeepLinkingRequest"
STATE_COOKIE = "lti_state"


@dataclass
class Launch:
    platform: Platform
    claims: dict

    @property
    def message_type(self):
        return self.claims[LTI + "message_type"]

    @property
    def sub(self):
        return self.claims["sub"]

    @property
    def roles(self):
        return self.claims.get(LTI + "roles") or []

    @property
    def context(self):
        return self.claims.get(LTI + "context") or {}

    @property
    def target_link_uri(self):
        return self.claims.get(LTI + "target_link_uri", "")

    @property
    def in_frame(self):
        """Whether the LMS shows the launch in a frame (it says so, or says nothing)."""
        presentation = self.claims.get(LTI + "launch_presentation") or {}
        return presentation.get("document_target", "iframe") in ("iframe", "frame")

    def claim(self, name, default=None):
        return self.claims.get(name, default)


def find_attempt(state):
    """The login this launch answers, not yet consumed (the browser is checked first)."""
    attempt = LoginAttempt.objects.select_related("platform").filter(state=state).first()
    if attempt is None:
        raise LaunchRefused("expired_login", "no login with this state")
    return attempt


def take_attempt(state):
    """The login this launch answers, consumed: a second launch with the same state
    finds nothing (deleting the row is what makes the nonce single-use everywhere)."""
    with transaction.atomic():
        attempt = (
            LoginAttempt.objects.select_for_update()
            .select_related("platform")
            .filter(state=state)
            .first()
        )
        if attempt is None:
            raise LaunchRefused("expired_login", "no login with this state")
        attempt.delete()
    if attempt.is_expired:
        raise LaunchRefused("expired_login", "the login is older than its lifetime")
    return attempt


def validate(*, id_token, attempt):
    """A checked Launch for `id_token` answering the login `attempt` (consumed first,
    take_attempt): pylti1p3's MessageLaunch with our checks on top (lti.library)."""
    from lti.library import CheckedLaunch

    checked = CheckedLaunch(id_token=id_token, state=attempt.state, attempt=attempt)
    claims = checked.checked_claims()
    return Launch(platform=checked.platform, claims=claims)
