"""Browser journeys: Playwright driving Debian's Chromium against live_server.

Run with `make e2e` (or `pytest -m e2e tests/e2e`). Screenshots of key pages at
1280 and 390 px wide are saved to tests/e2e/screenshots/ (git-ignored).
"""

import io
import os
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image, ImageDraw

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
WIDTHS = (1280, 390)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls
    # made by the test itself (fixtures, assertions) are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


# Every page listens for Content-Security-Policy violations (the policy is enforced
# here as in production) and reports them to the test, which then fails.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolation(
    event.effectiveDirective + " blocked " + (event.blockedURI || "inline") + " on "
    + event.documentURI + (event.sourceFile ? " (" + event.sourceFile + ":"
    + event.lineNumber + ")" : "")
  );
});
"""


@pytest.fixture
def csp_violations():
    """Violations seen by any page of the test; the journey fails if any remain."""
    return []


@pytest.fixture
def new_page(browser, live_server, csp_violations):
    """A factory of pages in fresh browser contexts (one per person)."""
    contexts = []

    def make(*, user=None, javascript=True, width=1280, color_scheme="light"):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": 900},
            java_script_enabled=javascript,
            color_scheme=color_scheme,
        )
        context.set_default_timeout(10_000)
        context.expose_binding("__cspViolation", lambda source, text: csp_violations.append(text))
        context.add_init_script(CSP_LISTENER)
        context.on(
            "console",
            lambda message: (
                csp_violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": client.cookies["sessionid"].value,
                        "url": live_server.url,
                    }
                ]
            )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert not csp_violations, "Content-Security-Policy violations:\n" + "\n".join(
        dict.fromkeys(csp_violations)
    )


@pytest.fixture
def page(new_page):
    return new_page()


def screenshot(page, name):
    """Full-page screenshots at desktop and phone widths."""
    SCREENSHOTS.mkdir(exist_ok=True)
    original = page.viewport_size
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(original)


def assert_accessible(page, *, label=""):
    """No axe-core violation of impact serious or critical under WCAG 2.2 AA rules."""
    from axe_playwright_python.sync_playwright import Axe

    # Colours are measured at rest: with reduced motion the stylesheet drops its 0.15 s
    # transitions (and a running one jumps to its end), so axe never reads a blend of a
    # control's two states (a focused button half-way to its filled look, say).
    page.emulate_media(reduced_motion="reduce")
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in bad
    )
    assert not bad, f"Accessibility violations on {label or page.url}:\n{details}"


@pytest.fixture
def picture(tmp_path):
    """A JPEG on disk, as a student would pick from their photos."""
    image = Image.new("RGB", (1600, 1000), "#e9c46a")
    draw = ImageDraw.Draw(image)
    draw.ellipse([500, 200, 1100, 800], fill="#1f5c4d")
    path = tmp_path / "poster.jpg"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path
