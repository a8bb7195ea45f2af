import dataclasses

import pytest

from blog import embed_providers
from tests.blog.fakeweb import FakeWeb


@pytest.fixture
def fake_web(settings):
    """A local web server the fetcher may reach (its port alone is allowed)."""
    web = FakeWeb().start()
    settings.WEB_FETCH_ALLOWED_ADDRESSES = [f"127.0.0.1:{web.port}"]
    yield web
    web.stop()


@pytest.fixture
def other_web():
    """A local web server the fetcher is NOT allowed to reach."""
    web = FakeWeb().start()
    yield web
    web.stop()


@pytest.fixture
def fake_youtube(fake_web, monkeypatch):
    """YouTube's oEmbed endpoint answered by the local server, with a thumbnail there."""
    providers = tuple(
        dataclasses.replace(p, oembed=fake_web.url("/oembed")) if p.key == "youtube" else p
        for p in embed_providers.PROVIDERS
    )
    monkeypatch.setattr(embed_providers, "PROVIDERS", providers)
    monkeypatch.setattr(
        embed_providers, "PROVIDERS_BY_KEY", {provider.key: provider for provider in providers}
    )
    fake_web.json(
        "/oembed",
        {
            "title": "Khrushchev's Secret Speech, explained",
            "author_name": "History Channel",
            "provider_name": "YouTube",
            "thumbnail_url": fake_web.url("/vi/dQw4w9WgXcQ/hqdefault.jpg"),
        },
    )
    fake_web.image("/vi/dQw4w9WgXcQ/hqdefault.jpg")
    return fake_web
