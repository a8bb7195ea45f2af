"""The providers whose links become embeds: each one's URL patterns, the player address
a link gives, and its oEmbed endpoint where it has one.

Plain data and functions, no Django: config/settings.py reads PLAYER_HOSTS for the
Content-Security-Policy's frame-src, which lists these players' hosts and nothing else.
"""

import math
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    player_host: str
    player: object  # player(url) -> the player's address, or None if the URL isn't one
    oembed: str = ""  # endpoint; the URL is added as ?url=...&format=json
    kind: str = "video"  # what the placeholder calls it


@dataclass(frozen=True)
class Match:
    provider: Provider
    player_url: str


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"}


def _host(url):
    return (urlsplit(url).hostname or "").lower()


def _youtube(url):
    parts = urlsplit(url)
    host, path = _host(url), parts.path
    query = parse_qs(parts.query)
    if host == "youtu.be":
        video = path.strip("/").split("/")[0]
    elif host in _YOUTUBE_HOSTS and path == "/watch":
        video = query.get("v", [""])[0]
    elif host in _YOUTUBE_HOSTS and re.match(r"^/(shorts|embed|live)/[^/]+/?$", path):
        video = path.strip("/").split("/")[1]
    else:
        return None
    if not _YOUTUBE_ID.match(video):
        return None
    start = _seconds(query.get("t", query.get("start", [""]))[0])
    return f"https://www.youtube-nocookie.com/embed/{video}" + (f"?start={start}" if start else "")


def _seconds(value):
    """'90', '90s', '1m30s', '1h2m3s' -> seconds, else 0."""
    match = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?", value or "")
    if not match or not value:
        return 0
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _vimeo(url):
    if _host(url) not in ("vimeo.com", "www.vimeo.com", "player.vimeo.com"):
        return None
    match = re.fullmatch(
        r"/(?:video/|channels/[\w-]+/)?(\d+)(?:/([0-9a-f]+))?/?", urlsplit(url).path
    )
    if not match:
        return None
    video, hash_ = match.groups()
    return f"https://player.vimeo.com/video/{video}?dnt=1" + (f"&h={hash_}" if hash_ else "")


def _soundcloud(url):
    if _host(url) not in ("soundcloud.com", "www.soundcloud.com", "m.soundcloud.com"):
        return None
    if not re.fullmatch(r"/[\w-]+/(?:sets/)?[\w-]+/?", urlsplit(url).path):
        return None
    track = "https://soundcloud.com" + urlsplit(url).path.rstrip("/")
    return f"https://w.soundcloud.com/player/?url={quote(track, safe='')}&visual=true"


def _spotify(url):
    if _host(url) != "open.spotify.com":
        return None
    match = re.fullmatch(
        r"/(?:intl-[\w-]+/)?(track|album|playlist|episode|show|artist)/([A-Za-z0-9]+)/?",
        urlsplit(url).path,
    )
    return f"https://open.spotify.com/embed/{match[1]}/{match[2]}" if match else None


def _google_docs(url):
    if _host(url) != "docs.google.com":
        return None
    path = urlsplit(url).path
    # Only links from "File > Share > Publish to web" (/d/e/<key>/...): they are public.
    match = re.fullmatch(
        r"/(document|presentation|spreadsheets)/d/e/([\w-]+)/(pub|pubhtml|embed|pubembed)/?",
        path,
    )
    if not match:
        return None
    kind, key = match[1], match[2]
    base = f"https://docs.google.com/{kind}/d/e/{key}"
    return {
        "document": f"{base}/pub?embedded=true",
        "presentation": f"{base}/embed?start=false&loop=false",
        "spreadsheets": f"{base}/pubhtml?widget=true&headers=false",
    }[kind]


def _archive(url):
    if _host(url) not in ("archive.org", "www.archive.org"):
        return None
    match = re.fullmatch(r"/(?:details|embed)/([\w.-]+)/?", urlsplit(url).path)
    return f"https://archive.org/embed/{match[1]}" if match else None


def _commons(url):
    if _host(url) != "commons.wikimedia.org":
        return None
    match = re.fullmatch(r"/wiki/(File:[^/?#]+)", urlsplit(url).path)
    return f"https://commons.wikimedia.org/wiki/{match[1]}?embedplayer=yes" if match else None


def _openstreetmap(url):
    if _host(url) not in ("openstreetmap.org", "www.openstreetmap.org"):
        return None
    parts = urlsplit(url)
    match = re.search(r"map=(\d{1,2})/(-?\d+(?:\.\d+)?)/(-?\d+(?:\.\d+)?)", parts.fragment)
    if not match:
        return None
    zoom, lat, lon = int(match[1]), float(match[2]), float(match[3])
    if not (0 <= zoom <= 20 and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    # The map's box at that zoom, for a player about 800 x 450 pixels.
    half_width = 360 / 2**zoom * 800 / 256 / 2
    half_height = half_width * 450 / 800 * math.cos(math.radians(lat))
    box = ",".join(
        f"{value:.5f}"
        for value in (lon - half_width, lat - half_height, lon + half_width, lat + half_height)
    )
    return (
        f"https://www.openstreetmap.org/export/embed.html?bbox={quote(box, safe='')}"
        f"&layer=mapnik&marker={lat:.5f}%2C{lon:.5f}"
    )


def _codepen(url):
    if _host(url) != "codepen.io":
        return None
    match = re.fullmatch(r"/([\w-]+)/(?:pen|full|details)/([\w]+)/?", urlsplit(url).path)
    if not match:
        return None
    return f"https://codepen.io/{match[1]}/embed/{match[2]}?default-tab=result"


PROVIDERS = (
    Provider("youtube", "YouTube", "www.youtube-nocookie.com", _youtube,
             oembed="https://www.youtube.com/oembed"),
    Provider("vimeo", "Vimeo", "player.vimeo.com", _vimeo,
             oembed="https://vimeo.com/api/oembed.json"),
    Provider("soundcloud", "SoundCloud", "w.soundcloud.com", _soundcloud,
             oembed="https://soundcloud.com/oembed", kind="audio"),
    Provider("spotify", "Spotify", "open.spotify.com", _spotify,
             oembed="https://open.spotify.com/oembed", kind="audio"),
    Provider("google", "Google Docs", "docs.google.com", _google_docs, kind="document"),
    Provider("archive", "Internet Archive", "archive.org", _archive, kind="item"),
    Provider("commons", "Wikimedia Commons", "commons.wikimedia.org", _commons, kind="media"),
    Provider("openstreetmap", "OpenStreetMap", "www.openstreetmap.org", _openstreetmap,
             kind="map"),
    Provider("codepen", "CodePen", "codepen.io", _codepen,
             oembed="https://codepen.io/api/oembed", kind="pen"),
)  # fmt: skip
PROVIDERS_BY_KEY = {provider.key: provider for provider in PROVIDERS}
PLAYER_HOSTS = tuple(dict.fromkeys(provider.player_host for provider in PROVIDERS))


def match(url):
    """The Match for a provider's link, or None (any other URL stays a link)."""
    try:
        if urlsplit(url).scheme not in ("http", "https"):
            return None
    except ValueError:
        return None
    for provider in PROVIDERS:
        try:
            player = provider.player(url)
        except ValueError:
            player = None
        if player:
            return Match(provider, player)
    return None
