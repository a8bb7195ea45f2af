"""The reader's CSRF token for a served page: Django's, masked in fewer steps.

Django's ``get_token`` masks the secret afresh for every response (BREACH: a page's
compressed size must not reveal the secret), drawing the 32 characters of the mask one
``secrets.choice`` at a time and adding the secret to it character by character with
``str.index``: about 85 µs of CPU, on every member hit. ``masked_token`` gives a token
of the same form (``mask + cipher``, 64 characters of ``CSRF_ALLOWED_CHARS``, read by
Django's ``_unmask_cipher_token`` as any other), with the mask as random and as
uniform: bytes from ``os.urandom``, each below 248 (4 x 62) standing for one of the 62
characters, the others dropped, so every character is equally likely, as
``secrets.choice`` makes them. The cipher adds the secret's and the mask's characters'
places in the alphabet, modulo 62, as Django's ``_mask_cipher_secret`` does, all 32 at
once: each place is a byte below 62, so two strings of them read as big integers add
place by place without a carry (each sum below 124), and a 256-byte table maps each sum
to its character. Tables of 512 bytes in all (a table of every pair of characters was
350 KB in every process).
"""

import os

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_BASE = len(CSRF_ALLOWED_CHARS)  # 62
_USABLE = 256 - 256 % _BASE  # 248: bytes from 0 to 247 map evenly onto the alphabet
# byte -> its place in the alphabet (bytes.translate), the bytes at and above _USABLE
# deleted
_TO_PLACE = bytes.maketrans(bytes(range(_USABLE)), bytes(b % _BASE for b in range(_USABLE)))
_UNUSABLE = bytes(range(_USABLE, 256))
# place (or sum of two places, below 124) -> its character, modulo 62
_TO_CHAR = bytes(ord(CSRF_ALLOWED_CHARS[n % _BASE]) for n in range(256))
# a secret's character -> its place; any other byte is deleted (the length check fails)
_ALPHABET = CSRF_ALLOWED_CHARS.encode()
_PLACE_OF = bytes.maketrans(_ALPHABET, bytes(range(_BASE)))
_NOT_IN_ALPHABET = bytes(b for b in range(256) if b not in _ALPHABET)


def random_places():
    """CSRF_SECRET_LENGTH places in the alphabet (bytes below 62), each uniformly
    random."""
    places = b""
    while len(places) < CSRF_SECRET_LENGTH:  # 40 bytes give 32 usable ones nearly always
        places += os.urandom(CSRF_SECRET_LENGTH + 8).translate(_TO_PLACE, _UNUSABLE)
    return places[:CSRF_SECRET_LENGTH]


def random_mask():
    """CSRF_SECRET_LENGTH characters of CSRF_ALLOWED_CHARS, each uniformly random."""
    return random_places().translate(_TO_CHAR).decode()


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
    secret_places = secret.encode().translate(_PLACE_OF, _NOT_IN_ALPHABET)
    if len(secret_places) != CSRF_SECRET_LENGTH or len(secret) != CSRF_SECRET_LENGTH:
        raise ValueError("a CSRF secret is 32 characters of CSRF_ALLOWED_CHARS")
    mask = random_places()
    sums = int.from_bytes(secret_places, "big") + int.from_bytes(mask, "big")
    return (mask + sums.to_bytes(CSRF_SECRET_LENGTH, "big")).translate(_TO_CHAR).decode()
