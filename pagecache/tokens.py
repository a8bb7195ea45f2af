"""The reader's CSRF token for a served page: Django's, masked in fewer steps.

Django's ``get_token`` masks the secret afresh for every response (BREACH: a page's
compressed size must not reveal the secret), drawing the 32 characters of the mask one
``secrets.choice`` at a time and adding the secret to it character by character with
``str.index``: about 85 µs of CPU, on every member hit. ``masked_token`` gives a token
of the same form (``mask + cipher``, 64 characters of ``CSRF_ALLOWED_CHARS``, read by
Django's ``_unmask_cipher_token`` as any other), with the mask as random and as
uniform: bytes from ``os.urandom``, each below 248 (4 x 62) standing for one of the 62
characters, the others dropped, so every character is equally likely, as
``secrets.choice`` makes them. The rest is two table lookups.
"""

import os

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_BASE = len(CSRF_ALLOWED_CHARS)  # 62
_USABLE = 256 - 256 % _BASE  # 248: bytes from 0 to 247 map evenly onto the alphabet
# byte -> its character (bytes.translate), the bytes at and above _USABLE deleted
_TO_CHAR = bytes.maketrans(
    bytes(range(_USABLE)), bytes(ord(CSRF_ALLOWED_CHARS[b % _BASE]) for b in range(_USABLE))
)
_UNUSABLE = bytes(range(_USABLE, 256))
# (secret's character, mask's character) -> the cipher's, as _mask_cipher_secret adds them
_ADDED = {
    (x, y): CSRF_ALLOWED_CHARS[(i + j) % _BASE]
    for i, x in enumerate(CSRF_ALLOWED_CHARS)
    for j, y in enumerate(CSRF_ALLOWED_CHARS)
}


def random_mask():
    """CSRF_SECRET_LENGTH characters of CSRF_ALLOWED_CHARS, each uniformly random."""
    chars = b""
    while len(chars) < CSRF_SECRET_LENGTH:  # 40 bytes give 32 usable ones nearly always
        chars += os.urandom(CSRF_SECRET_LENGTH + 8).translate(_TO_CHAR, _UNUSABLE)
    return chars[:CSRF_SECRET_LENGTH].decode()


def masked_token(request):
    """What ``django.middleware.csrf.get_token`` returns and does: the reader's secret
    (a new one, and the cookie to set, if they have none) masked afresh, and the
    cookie flagged for renewal."""
    if "CSRF_COOKIE" in request.META:
        secret = request.META["CSRF_COOKIE"]
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token: renew its expiry
    else:
        # A new secret, drawn as the mask is (Django's draws its 32 characters one
        # urandom call each: a tenth of a signed-out reader's hit where the page holds a
        # form), set as Django's _add_new_csrf_cookie sets it: the cookie goes out.
        secret = random_mask()
        request.META.update({"CSRF_COOKIE": secret, "CSRF_COOKIE_NEEDS_UPDATE": True})
    mask = random_mask()
    return mask + "".join(map(_ADDED.__getitem__, zip(secret, mask, strict=True)))
