"""Every provider's URL patterns: the links that become embeds, their players'
addresses, and the links that stay links."""

import pytest
from django.conf import settings

from blog.embed_providers import PLAYER_HOSTS, PROVIDERS, match

YT = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
PUB = "2PACX-1vTx_AbC-123"


@pytest.mark.parametrize(
    ("url", "provider", "player"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube", YT),
        ("https://youtube.com/watch?v=dQw4w9WgXcQ&list=PL1", "youtube", YT),
        ("https://m.youtube.com/watch?v=dQw4w9WgXcQ", "youtube", YT),
        ("http://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube", YT),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s", "youtube", YT + "?start=90"),
        ("https://youtu.be/dQw4w9WgXcQ", "youtube", YT),
        ("https://youtu.be/dQw4w9WgXcQ?t=42", "youtube", YT + "?start=42"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "youtube", YT),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", "youtube", YT),
        ("https://www.youtube.com/live/dQw4w9WgXcQ", "youtube", YT),
        ("https://vimeo.com/76979871", "vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://vimeo.com/76979871/abc123ef",
            "vimeo",
            "https://player.vimeo.com/video/76979871?dnt=1&h=abc123ef",
        ),
        (
            "https://vimeo.com/channels/staffpicks/76979871",
            "vimeo",
            "https://player.vimeo.com/video/76979871?dnt=1",
        ),
        (
            "https://player.vimeo.com/video/76979871",
            "vimeo",
            "https://player.vimeo.com/video/76979871?dnt=1",
        ),
        (
            "https://soundcloud.com/artist-name/track-name",
            "soundcloud",
            "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fartist-name"
            "%2Ftrack-name&visual=true",
        ),
        (
            "https://soundcloud.com/artist/sets/the-album",
            "soundcloud",
            "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fartist%2Fsets"
            "%2Fthe-album&visual=true",
        ),
        (
            "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC",
            "spotify",
            "https://open.spotify.com/embed/track/4uLU6hMCjMI75M1A2tKUQC",
        ),
        (
            "https://open.spotify.com/intl-de/album/1DFixLWuPkv3KT3TnV35m3",
            "spotify",
            "https://open.spotify.com/embed/album/1DFixLWuPkv3KT3TnV35m3",
        ),
        (
            "https://open.spotify.com/episode/512ojhOuo1ktJprKbVcKyQ",
            "spotify",
            "https://open.spotify.com/embed/episode/512ojhOuo1ktJprKbVcKyQ",
        ),
        (
            f"https://docs.google.com/document/d/e/{PUB}/pub",
            "google",
            f"https://docs.google.com/document/d/e/{PUB}/pub?embedded=true",
        ),
        (
            f"https://docs.google.com/presentation/d/e/{PUB}/pub?start=false",
            "google",
            f"https://docs.google.com/presentation/d/e/{PUB}/embed?start=false&loop=false",
        ),
        (
            f"https://docs.google.com/presentation/d/e/{PUB}/embed",
            "google",
            f"https://docs.google.com/presentation/d/e/{PUB}/embed?start=false&loop=false",
        ),
        (
            f"https://docs.google.com/spreadsheets/d/e/{PUB}/pubhtml",
            "google",
            f"https://docs.google.com/spreadsheets/d/e/{PUB}/pubhtml?widget=true&headers=false",
        ),
        (
            "https://archive.org/details/night_of_the_living_dead",
            "archive",
            "https://archive.org/embed/night_of_the_living_dead",
        ),
        (
            "https://commons.wikimedia.org/wiki/File:Big_Buck_Bunny_4K.webm",
            "commons",
            "https://commons.wikimedia.org/wiki/File:Big_Buck_Bunny_4K.webm?embedplayer=yes",
        ),
        (
            "https://codepen.io/someone/pen/AbCdEf",
            "codepen",
            "https://codepen.io/someone/embed/AbCdEf?default-tab=result",
        ),
    ],
)
def test_a_providers_link_gives_its_player(url, provider, player):
    found = match(url)
    assert (found.provider.key, found.player_url) == (provider, player)


def test_an_openstreetmap_link_gives_the_map_around_its_point():
    found = match("https://www.openstreetmap.org/#map=15/55.7522/37.6156")
    assert found.provider.key == "openstreetmap"
    assert found.player_url.startswith("https://www.openstreetmap.org/export/embed.html?bbox=")
    assert "&layer=mapnik&marker=55.75220%2C37.61560" in found.player_url
    bbox = found.player_url.split("bbox=")[1].split("&")[0].replace("%2C", ",")
    west, south, east, north = map(float, bbox.split(","))
    assert west < 37.6156 < east and south < 55.7522 < north


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/",
        "https://www.youtube.com/channel/UC123",
        "https://www.youtube.com/watch?v=short",  # not an 11-character id
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://evil.example/youtu.be/dQw4w9WgXcQ",
        "https://notyoutu.be/dQw4w9WgXcQ",
        "https://vimeo.com/about",
        "https://soundcloud.com/discover",
        "https://open.spotify.com/user/someone",
        "https://docs.google.com/document/d/1AbCdEf/edit",  # a private document, not published
        "https://docs.google.com/forms/d/e/KEY/viewform",
        "https://archive.org/search?query=x",
        "https://commons.wikimedia.org/wiki/Main_Page",
        "https://www.openstreetmap.org/",
        "https://www.openstreetmap.org/#map=99/1/2",
        "https://codepen.io/someone",
        "ftp://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "javascript:alert(1)//youtu.be/dQw4w9WgXcQ",
        "https://example.com/watch?v=dQw4w9WgXcQ",
    ],
)
def test_any_other_link_stays_a_link(url):
    assert match(url) is None


def test_the_csp_frames_only_the_providers_players():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["frame-src"] == [f"https://{host}" for host in PLAYER_HOSTS]
    assert set(PLAYER_HOSTS) == {provider.player_host for provider in PROVIDERS}
    assert "https://www.youtube-nocookie.com" in directives["frame-src"]
    assert "https://www.youtube.com" not in directives["frame-src"]


def test_the_frame_src_is_in_the_header_of_pages(client, db):
    header = client.get("/").headers["Content-Security-Policy"]
    frame_src = next(part for part in header.split(";") if part.strip().startswith("frame-src"))
    assert frame_src.split()[1:] == [f"https://{host}" for host in PLAYER_HOSTS]
