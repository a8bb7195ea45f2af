"""Embeds and images from the web: resolved once at save time, shown from our records.

A provider's link alone in a paragraph of a post or comment (blog/embed_providers.py)
becomes a click-to-load placeholder: title, provider and a thumbnail served from our
storage, a plain link to the original without JavaScript; the reader's click swaps in
the provider's player (static/js/site.js). An image from the web in a post
(``![alt](https://...)``) is fetched, validated like an upload (accounts/images.py),
re-encoded into the course's storage and shown from there with a "Source: host" link.

Two steps, the same for saving and for the editor's preview (docs/decisions.md,
"Embeds and images from the web"):

1. ``fetch_body_media(course=, user=, html=)`` runs BEFORE the save's transaction: it
   finds what the rendered body embeds and fetches what has no record yet, through the
   one fetcher (blog/fetcher.py), and returns what went wrong, in words for the author.
2. ``show_media(html, course_id=)`` runs when the body is rendered (a BODY_FILTERS
   hook for posts, comments' save for comments): it swaps in placeholders and our
   copies, from the records, with one query each for embeds and images, and no
   request to anyone. A link whose lookup failed still embeds from its URL pattern,
   with the URL as its title; an image that could not be fetched stays a link.

Feeds and emails get the links, not the placeholders: ``as_links(html)``.
"""

import hashlib
import io
import json
import re
import time
from html import escape, unescape
from urllib.parse import urlencode, urlsplit

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.images import MAX_UPLOAD_BYTES, clean_image_upload, save_renditions
from blog import embed_providers, fetcher, media
from blog.models import BodyImage, Embed
from blog.rendering import EXTERNAL_REL
from config.storage import StorageUnavailable

OEMBED_MAX_BYTES = 256 * 1024
THUMBNAIL_WIDTH = 640
MAX_FETCHES = 10  # new lookups per save; the rest wait for the next save
TIME_BUDGET = 20.0  # seconds of fetching per save or preview, all addresses together
FAILURE_SECONDS = 300  # a failed address isn't asked again for this long (live preview)

# A paragraph that is only a link whose words are its address: what an address alone
# on its line becomes (blog/rendering.py makes such lines autolinks).
_LINK_PARAGRAPH = re.compile(r'<p><a href="([^"]+)"(?: rel="[^"]*")?>([^<]+)</a></p>')
_IMG = re.compile(r"<img ([^>]*)>")
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')
_EMBED_FIGURE = re.compile(
    r'<figure class="embed[^"]*" data-embed-url="([^"]*)".*?</figure>', flags=re.S
)


# --- What a body embeds ---------------------------------------------------------------


def embed_links(html):
    """[(matched text, url)] of the paragraphs that are a provider's link."""
    found = []
    for paragraph in _LINK_PARAGRAPH.finditer(html or ""):
        url, words = unescape(paragraph[1]), unescape(paragraph[2]).strip()
        if url == words and embed_providers.match(url):
            found.append((paragraph[0], url))
    return found


def web_images(html):
    """[(matched tag, {attributes})] of the images whose address is on another site."""
    found = []
    for tag in _IMG.finditer(html or ""):
        attrs = {name: unescape(value) for name, value in _ATTR.findall(tag[1])}
        if urlsplit(attrs.get("src", "")).scheme in ("http", "https"):
            found.append((tag[0], attrs))
    return found


# --- 1. At save time: fetch what has no record yet ------------------------------------


def fetch_body_media(*, course, user, html, fetch=None):
    """Resolve the embeds and fetch the images from the web that `html` (a rendered,
    sanitised body) shows and the course has no record of. Returns the problems, in
    words for the author; none stops the save. Never call it inside a transaction: it
    waits on other servers."""
    fetch = _within(TIME_BUDGET, fetch or fetcher.fetch)
    embeds = list(dict.fromkeys(url for _, url in embed_links(html)))
    images = list(dict.fromkeys(attrs["src"] for _, attrs in web_images(html)))
    if not embeds and not images:
        return []
    have_embeds = set(
        Embed.objects.filter(course=course, url__in=embeds).values_list("url", flat=True)
    )
    have_images = set(
        BodyImage.objects.filter(course=course, source_url__in=images).values_list(
            "source_url", flat=True
        )
    )
    todo = [("embed", url) for url in embeds if url not in have_embeds]
    todo += [("image", url) for url in images if url not in have_images]
    problems = []
    for n, (kind, url) in enumerate(todo):
        if n >= MAX_FETCHES or fetch.remaining() < 0.25:
            problems.append(f"{url} was not fetched yet (too many at once); save again.")
            continue
        failed = cache.get(_failure_key(url))
        if failed is None:
            try:
                if kind == "embed":
                    failed = resolve_embed(course=course, url=url, fetch=fetch)
                else:
                    failed = store_web_image(course=course, user=user, url=url, fetch=fetch)
            except StorageUnavailable:
                problems.append(f"{url}: {StorageUnavailable.message}")
                continue
            if failed:
                cache.set(_failure_key(url), failed, FAILURE_SECONDS)
        if failed:
            problems.append(failed)
    return problems


def _within(seconds, fetch):
    """`fetch`, each call's deadline cut to what is left of `seconds` for all of them: a
    body full of slow addresses holds a request for TIME_BUDGET at most."""
    ends = time.monotonic() + seconds

    def limited(url, **kwargs):
        return fetch(url, deadline=min(fetcher.DEADLINE, limited.remaining()), **kwargs)

    limited.remaining = lambda: ends - time.monotonic()
    return limited


def _failure_key(url):
    return "webfetch-failed:" + hashlib.sha256(url.encode()).hexdigest()


def resolve_embed(*, course, url, fetch):
    """Record the embed of `url` for `course`; None, or what went wrong (the embed then
    works from the URL pattern, with the URL as its title, and is asked again later)."""
    found = embed_providers.match(url)
    provider = found.provider
    title = author = ""
    thumbnail = {}
    if provider.oembed:
        try:
            answer = fetch(
                f"{provider.oembed}?{urlencode({'url': url, 'format': 'json'})}",
                max_bytes=OEMBED_MAX_BYTES,
                accept="application/json",
            )
            data = json.loads(answer.body)
            if not isinstance(data, dict):
                raise ValueError
        except fetcher.FetchError as error:
            return f"The {provider.name} link {url} shows without its title: {error}."
        except ValueError:
            return f"The {provider.name} link {url} shows without its title: unreadable answer."
        title = str(data.get("title") or "")[:300]
        author = str(data.get("author_name") or "")[:200]
        thumbnail_url = data.get("thumbnail_url")
        if isinstance(thumbnail_url, str) and thumbnail_url:
            try:
                clean = _fetch_image(thumbnail_url, fetch)
            except (fetcher.FetchError, ValidationError):
                clean = None  # a title without a picture is still worth keeping
            if clean is not None:
                thumbnail = _store(course, clean, kind="embeds", widths=(THUMBNAIL_WIDTH,))[0]
    Embed.objects.update_or_create(
        course=course,
        url=url,
        defaults={
            "provider": provider.key,
            "player_url": found.player_url,
            "title": title,
            "author_name": author,
            "thumbnail": thumbnail,
        },
    )
    return None


def store_web_image(*, course, user, url, fetch):
    """Fetch the image at `url` once into the course's storage (a BodyImage with its
    source); None, or why not (the image then stays a link)."""
    try:
        clean = _fetch_image(url, fetch)
    except fetcher.FetchError as error:
        return f"The image {url} could not be fetched: {error}. It shows as a link."
    except ValidationError as error:
        return f"The image {url} was refused: {' '.join(error.messages)} It shows as a link."
    renditions = _store(course, clean, kind="body", widths=(800, 1600))
    BodyImage.objects.create(course=course, uploaded_by=user, renditions=renditions, source_url=url)
    return None


def _fetch_image(url, fetch):
    """A CleanImage from `url`, checked exactly like an upload."""
    answer = fetch(url, max_bytes=MAX_UPLOAD_BYTES, accept="image/*")
    if answer.content_type and not answer.content_type.startswith(
        ("image/", "application/octet-stream")
    ):
        raise ValidationError("It is not an image.", code="not_image")
    upload = SimpleUploadedFile("web-image", answer.body, content_type=answer.content_type)
    upload.file = io.BytesIO(answer.body)
    return clean_image_upload(upload)


def _store(course, clean, *, kind, widths):
    renditions = save_renditions(clean, folder=media.course_folder(course.pk, kind), widths=widths)
    media.set_course_media_access(course, [r["name"] for r in renditions])
    return renditions


# --- 2. When the body is rendered: show them from our records --------------------------


def body_filter(post, html):
    """BODY_FILTERS: a post's embeds and images from the web (blog/hooks.py)."""
    return show_media(html, course_id=post.course_id)


def show_media(html, *, course_id):
    links, images = embed_links(html), web_images(html)
    if links:
        urls = {url for _, url in links}
        records = {e.url: e for e in Embed.objects.filter(course_id=course_id, url__in=urls)}
        for text, url in links:
            html = html.replace(text, placeholder(url, records.get(url)), 1)
    if images:
        urls = {attrs["src"] for _, attrs in images}
        stored = {
            image.source_url: image
            for image in BodyImage.objects.filter(course_id=course_id, source_url__in=urls)
        }
        for tag, attrs in images:
            html = html.replace(tag, _image(attrs, stored.get(attrs["src"])), 1)
    return html


def placeholder(url, embed=None):
    """The click-to-load placeholder: a link to the original that site.js turns into a
    button loading the player. Every value escaped."""
    found = embed_providers.match(url)
    provider = found.provider
    player = embed.player_url if embed else found.player_url
    title = (embed.title if embed else "") or url
    thumbnail = (embed.thumbnail if embed else None) or {}
    picture = ""
    if thumbnail.get("name"):
        picture = (
            f'<img class="embed__thumbnail" src="{escape(media.stable_url(thumbnail["name"]))}"'
            f' width="{int(thumbnail["width"])}" height="{int(thumbnail["height"])}" alt=""'
            ' loading="lazy" decoding="async">'
        )
    return (
        f'<figure class="embed embed--{provider.key}" data-embed-url="{escape(url)}">'
        f'<a class="embed__link" href="{escape(url)}" rel="{EXTERNAL_REL}"'
        f' data-embed-player="{escape(player)}" data-embed-title="{escape(title)}">'
        f'<span class="embed__media">{picture}<span class="embed__play" aria-hidden="true">'
        "</span></span>"
        f'<span class="embed__title">{escape(title)}</span>'
        f'<span class="embed__provider">{escape(provider.name)} {escape(provider.kind)}'
        f" · loads from {escape(provider.player_host)} when you play it</span>"
        "</a></figure>"
    )


def _image(attrs, stored):
    src, alt = attrs["src"], attrs.get("alt", "")
    host = urlsplit(src).hostname or src
    if stored is None:  # not fetched: a link to it, never a request from the reader
        words = f"{alt} (image at {host})" if alt else f"Image at {host}"
        return f'<a href="{escape(src)}" rel="{EXTERNAL_REL}">{escape(words)}</a>'
    rendition = stored.body_rendition
    title = f' title="{escape(attrs["title"])}"' if attrs.get("title") else ""
    return (
        '<span class="web-image">'
        f'<img src="{escape(media.stable_url(rendition["name"]))}" alt="{escape(alt)}"{title}'
        f' width="{int(rendition["width"])}" height="{int(rendition["height"])}"'
        ' loading="lazy" decoding="async">'
        f'<small class="web-image__source">Source: <a href="{escape(src)}" rel="{EXTERNAL_REL}">'
        f"{escape(host)}</a></small></span>"
    )


def as_links(html):
    """Stored HTML with each embed as the plain link it was written as: for feeds and
    emails, where no script runs and a placeholder means nothing."""
    return _EMBED_FIGURE.sub(
        lambda m: f'<p><a href="{m[1]}" rel="{EXTERNAL_REL}">{m[1]}</a></p>', html or ""
    )
