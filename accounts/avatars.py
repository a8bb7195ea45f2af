"""A person's avatar: their picture, or their initials on a tinted disc.

One markup for every place a face shows (profile, post byline, "Liked by" lists and
comment cards). Templates use ``{% avatar person size %}`` (accounts_tags);
comments/markup.py calls ``avatar_html`` directly because it builds cards without
templates.
"""

import re
import unicodedata
from html import escape

from django.utils.safestring import SafeString

# CSS class suffix: the width and height attributes (the stylesheet sizes the disc).
SIZES = {"xs": 26, "sm": 32, "": 40, "lg": 80}


# A note in brackets after a name, as the importer writes for guests: "Jonas (guest)".
BRACKETED = re.compile(r"[(\[][^)\]]*[)\]]")


def initials_of(name):
    """Up to two capital letters from a name ("Vera Ilyina" → "VI"); "?" for none.

    Letters only: each word gives its first letter; words without one (an emoji, a
    dash) give none, nor does a note in brackets ("Jonas (guest)" → "J") unless the
    note is all there is. Any script's letters count ("Вера Ильина" → "ВИ").
    """
    name = unicodedata.normalize("NFC", name)
    letters = first_letters(BRACKETED.sub(" ", name)) or first_letters(name)
    return "".join(letters[:2]).upper() or "?"


def first_letters(text):
    words = text.replace("_", " ").replace(".", " ").split()
    firsts = (next((c for c in word if c.isalpha()), "") for word in words)
    return [c for c in firsts if c]


def avatar_html(url, initials, size=""):
    """The avatar's HTML: an image when there is a picture URL, else the initials."""
    pixels = SIZES[size]
    classes = f"avatar avatar--{size}" if size else "avatar"
    if url:
        return SafeString(
            f'<img class="{classes}" src="{escape(url)}" alt="" width="{pixels}" '
            f'height="{pixels}" loading="lazy">'
        )
    return SafeString(
        f'<span class="{classes} avatar--initials" aria-hidden="true">{escape(initials)}</span>'
    )


def avatar_of(person, size=""):
    """The avatar of a user (or of anything with ``avatar`` and ``initials``)."""
    picture = getattr(person, "avatar", None)
    return avatar_html(picture.url if picture else "", person.initials, size)
