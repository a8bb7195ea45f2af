"""Screenshots of the key pages at 1280 and 390 px, light and dark, against a running
server with the demo data (bench/look.sh starts one). Not a test: for looking at.

    .venv/bin/python bench/screenshots.py http://127.0.0.1:8171 bench/results/look
"""

import os
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "commonplace-demo"  # noqa: S105  (seed_demo's demo accounts)
COURSE = "/c/hist-247/"
POST_TITLE = "What the Secret Speech did not say"  # a deep thread and an award


def post_path(page, base):
    """The post's address, from the course's pages (it is older than the first page's
    posts once the demo has more than a page of them)."""
    for number in range(1, 6):
        page.goto(f"{base}{COURSE}?page={number}")
        link = page.get_by_role("link", name=POST_TITLE)
        if link.count():
            return link.first.get_attribute("href")
    raise SystemExit(f"no link to {POST_TITLE!r} on the course's first five pages")


def sign_in(page, base, username):
    """With a session bench/look.sh made (LOOK_SESSIONS="name=key ..."), or the login form."""
    pairs = os.environ.get("LOOK_SESSIONS", "").split()
    sessions = dict(pair.split("=", 1) for pair in pairs if "=" in pair)
    if username in sessions:
        page.context.add_cookies([{"name": "sessionid", "value": sessions[username], "url": base}])
        return
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_load_state()


def shoot(browser, base, out, who, pages):
    for scheme in ("light", "dark"):
        for width in (1280, 390):
            context = browser.new_context(
                viewport={"width": width, "height": 900}, color_scheme=scheme
            )
            page = context.new_page()
            if who:
                sign_in(page, base, who)
            for name, path in pages.items():
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                file = out / f"{name}-{who or 'visitor'}-{width}-{scheme}.png"
                page.screenshot(path=str(file), full_page=True)
                print(file)
            context.close()


def main():
    if sys.argv[1] == "--post-path":
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
            print(post_path(browser.new_page(), sys.argv[2]))
        return
    base, out = sys.argv[1].rstrip("/"), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        post = post_path(browser.new_page(), base)
        slug = re.sub(r"^/c/[^/]+/|/$", "", post)
        shoot(browser, base, out, None, {"home": "/", "course": COURSE, "post": post})
        shoot(browser, base, out, "anya", {"home": "/", "editor": f"{COURSE}write/"})
        shoot(
            browser,
            base,
            out,
            "hmarsh",
            {
                "post": post,
                "settings": f"{COURSE}manage/settings/",
                "roster": f"{COURSE}manage/roster/",
                "participation": f"{COURSE}manage/participation/",
                "grant": f"/awards/hist-247/posts/{slug}/grant/",
            },
        )
        browser.close()


if __name__ == "__main__":
    main()
