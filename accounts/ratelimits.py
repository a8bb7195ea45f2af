"""How long until allauth's rate limits let a request through again (for Retry-After).

allauth keeps each limit as a list of hit times in the cache (Redis when REDIS_URL is
set, so every app server sees the same counts) under keys it builds itself; this module
reads them through allauth's own key function, never writes them.
"""

import math
import time

from allauth.account.adapter import get_adapter
from allauth.core.internal import ratelimit
from django.core.cache import cache

APP = "allauth.account"
# allauth's rate-limited actions, by the URL name of the page that answers for them.
ACTIONS = {
    "account_login": "login",
    "account_signup": "signup",
    "account_reset_password": "reset_password",
    "account_email_verification_sent": "confirm_email",
    "account_email": "manage_email",
    "account_change_password": "change_password",
}


def login_key(request, login):
    """The key of the failed-login limit for what was typed as the login."""
    return get_adapter(request)._get_login_attempts_cache_key(request, username=login or "")


def request_key(request, *, action):
    """The key allauth counts a request under, where it can be read from the request."""
    if action == "reset_password" and request.method == "POST":
        return request.POST.get("email", "").strip().lower() or None
    return None


def retry_after(request, *, action, key=None, now=None):
    """Whole seconds until every exhausted limit of action frees a slot (at least 1).

    A limit per key is only known with its key; one per user only signed in. With no
    exhausted limit found, the longest window of the action is the safe answer.
    """
    now = time.time() if now is None else now
    rates = ratelimit.get_rates(app=APP, action=action)
    wait = 0.0
    found = False
    for rate in rates:
        if (rate.per == "key" and key is None) or (
            rate.per == "user" and not request.user.is_authenticated
        ):
            continue
        cache_key = ratelimit.get_cache_key(request, app=APP, action=action, rate=rate, key=key)
        recent = [hit for hit in cache.get(cache_key, []) if hit > now - rate.duration]
        if len(recent) >= rate.amount:
            recent.sort(reverse=True)
            wait = max(wait, recent[rate.amount - 1] + rate.duration - now)
            found = True
    if not found:
        wait = max((rate.duration for rate in rates), default=60)
    return max(1, math.ceil(wait))
