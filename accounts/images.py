"""Validate uploaded images and make the renditions we serve.

Used by every upload in the project (avatars here, post images in blog): accept
JPEG, PNG, WebP and GIF; refuse anything else, anything over 10 MB or 40
megapixels, and truncated or malformed files. Apply EXIF orientation, then drop
all metadata (GPS included) by re-encoding only the pixels.

Pillow is imported by the functions that decode or encode, so a worker that serves
pages without uploads never loads it (docs/decisions.md, Heavy libraries).
"""

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
RENDITION_WIDTHS = (400, 800, 1600)


@dataclass
class CleanImage:
    """A decoded, upright, metadata-free image and what it came from."""

    image: "Image.Image"  # noqa: F821 - Pillow is imported where images are made
    format: str

    @property
    def has_alpha(self):
        return self.image.mode in ("RGBA", "LA", "PA") or "transparency" in self.image.info


def clean_image_upload(upload):
    """Return a CleanImage for an uploaded file, or raise ValidationError with a code."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            "This image is %(size).1f MB; the limit is 10 MB. Please upload a smaller file.",
            code="too_large",
            params={"size": size / 1024 / 1024},
        )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(upload)
            fmt = probe.format
            if fmt not in ALLOWED_FORMATS:
                raise ValidationError(
                    "Only JPEG, PNG, WebP and GIF images are accepted.", code="unsupported_format"
                )
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    "This image is %(w)d × %(h)d pixels; the limit is 40 megapixels.",
                    code="too_many_pixels",
                    params={"w": width, "h": height},
                )
            probe.verify()  # catches truncated and malformed data
            upload.seek(0)
            image = Image.open(upload)
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            "This image has too many pixels; the limit is 40 megapixels.", code="too_many_pixels"
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(
            "This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF.",
            code="not_image",
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            "This image file is damaged or incomplete. Please export it again and retry.",
            code="corrupt",
        ) from None
    finally:
        upload.seek(0)
    if image.width * image.height > MAX_PIXELS:
        raise ValidationError("This image is larger than 40 megapixels.", code="too_many_pixels")
    upright = ImageOps.exif_transpose(image)
    return CleanImage(image=_pixels_only(upright), format=fmt)


def _pixels_only(image):
    """A copy holding only pixel data: no EXIF, GPS, XMP or ICC text chunks."""
    from PIL import Image

    if image.mode not in ("RGB", "RGBA"):
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def encode(image, *, max_width=None, square=None):
    """Encode a resized copy as WebP (keeps transparency, small files)."""
    from PIL import Image, ImageOps

    if square:
        image = ImageOps.fit(image, (square, square), Image.Resampling.LANCZOS)
    elif max_width and image.width > max_width:
        height = round(image.height * max_width / image.width)
        image = image.resize((max_width, height), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=82, method=4)
    return ContentFile(buffer.getvalue()), image.width, image.height


def save_renditions(clean, *, folder, widths=RENDITION_WIDTHS):
    """Store resized copies (never wider than the original) and describe them.

    Returns a list of {"width", "height", "name", "bytes"}, narrowest first, ready to be
    kept in a JSONField and turned into srcset (and feed enclosures, which need a size).
    """
    stem = uuid.uuid4().hex
    renditions = []
    targets = sorted(
        {w for w in widths if w < clean.image.width} | {min(clean.image.width, max(widths))}
    )
    for width in targets:
        content, w, h = encode(clean.image, max_width=width)
        name = default_storage.save(f"{folder}/{stem}-{w}.webp", content)
        renditions.append({"width": w, "height": h, "name": name, "bytes": content.size})
    return renditions


def square_rendition(clean, *, size=256):
    """A square crop (for avatars) as a ContentFile named .webp."""
    content, _, _ = encode(clean.image, square=size)
    content.name = f"{uuid.uuid4().hex}.webp"
    return content
