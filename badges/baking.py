"""Baking: a credential inside its emblem image, as Open Badges 3.0 says (the PNG's
iTXt chunk "openbadgecredential"; the SVG's <openbadges:credential> element), and
getting it out again of an uploaded file."""

import io
import json
import re

from django.core.files.storage import default_storage
from django.utils.html import escape

# Pillow and defusedxml are imported where they are used: loading the site and its
# views must not load them (tests/test_foundation.py, docs/decisions.md issue 13).

PNG_KEYWORD = "openbadgecredential"
OB_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
SIZE = 256
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PIXELS = 4096 * 4096


class NotABadge(ValueError):
    """An uploaded file holds no credential we can read; the message says why."""


def initials(name):
    words = re.findall(r"\w+", name)
    return "".join(word[0] for word in words[:2]).upper() or "★"


def emblem_png(award):
    """The award's emblem as a 256 px PNG: its image in a disc of its colour, or its
    initials when it has no image."""
    from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

    canvas = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    draw.ellipse((4, 4, SIZE - 4, SIZE - 4), fill=award.css_colour, outline="#ffffff", width=8)
    picture = None
    if award.image:
        try:
            with default_storage.open(award.image.name) as stored:
                picture = Image.open(stored).convert("RGBA")
                picture.thumbnail((SIZE - 64, SIZE - 64))
        except (OSError, UnidentifiedImageError):
            picture = None
    if picture is not None:
        canvas.alpha_composite(picture, ((SIZE - picture.width) // 2, (SIZE - picture.height) // 2))
    else:
        font = ImageFont.load_default(size=96)
        draw.text(
            (SIZE / 2, SIZE / 2), initials(award.name), fill="#ffffff", font=font, anchor="mm"
        )
    out = io.BytesIO()
    canvas.save(out, format="PNG")
    return out.getvalue()


def emblem_svg(award):
    """The award's emblem as SVG (its initials in a disc of its colour)."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="{OB_NAMESPACE}" '
        f'width="{SIZE}" height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}" role="img">'
        f"<title>{escape(award.name)}</title>"
        f'<circle cx="128" cy="128" r="120" fill="{award.css_colour}" stroke="#fff" '
        'stroke-width="8"/>'
        '<text x="128" y="128" dominant-baseline="central" text-anchor="middle" '
        'font-family="sans-serif" font-size="96" fill="#fff">'
        f"{escape(initials(award.name))}</text></svg>"
    )


def credential_text(credential):
    return json.dumps(credential, ensure_ascii=False, indent=2)


def bake_png(png, credential):
    from PIL import Image, PngImagePlugin

    image = Image.open(io.BytesIO(png))
    info = PngImagePlugin.PngInfo()
    info.add_itxt(PNG_KEYWORD, credential_text(credential), zip=False)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def bake_svg(svg, credential):
    # In CDATA, "]]>" would end the section: JSON may write ">" as \u003e instead.
    text = credential_text(credential).replace("]]>", "]]\\u003e")
    element = f"<openbadges:credential><![CDATA[{text}]]></openbadges:credential>"
    head, rest = svg.split(">", 1)
    return f"{head}>{element}{rest}"


def extract(data):
    """The credential (a dict) in an uploaded JSON, PNG or SVG file's bytes."""
    from defusedxml import ElementTree
    from PIL import Image

    if data.startswith(PNG_SIGNATURE):
        try:
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise NotABadge("This image is too large to be a badge.")
            image.load()  # text chunks after the image data are read only now
        except NotABadge:
            raise
        except (OSError, ValueError, Image.DecompressionBombError) as error:
            raise NotABadge("This PNG file can't be read.") from error
        text = getattr(image, "text", {}).get(PNG_KEYWORD)
        if text is None:
            raise NotABadge("This PNG image has no Open Badge credential baked in.")
        return parse(text)
    stripped = data.lstrip()
    if stripped.startswith(b"<"):
        try:
            root = ElementTree.fromstring(data)
        except Exception as error:  # defusedxml's and expat's errors alike
            raise NotABadge("This SVG file can't be read.") from error
        element = root.find(f".//{{{OB_NAMESPACE}}}credential")
        if element is None or not (element.text or "").strip():
            raise NotABadge("This SVG image has no Open Badge credential baked in.")
        return parse(element.text)
    return parse(data)


def parse(text):
    try:
        document = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise NotABadge("This is not a JSON credential, a baked PNG or a baked SVG.") from error
    if not isinstance(document, dict):
        raise NotABadge("This JSON is not a credential (it must be an object).")
    return document
