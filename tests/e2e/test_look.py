"""The header on a phone, with and without JavaScript, and the colour scheme toggle."""

import pytest

from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_phone_menu_without_javascript_reaches_every_link(new_page):
    user = factories.UserFactory(username="nojs")
    page = new_page(user=user, javascript=False, width=390)
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("button", name="Sign out").is_visible()
    assert nav.get_by_role("searchbox", name="Search posts").is_visible()
    assert nav.get_by_role("link", name="My posts").is_visible()
    assert nav.get_by_role("link", name="Notifications").is_visible()
    assert not page.locator(".site-menu-toggle").is_visible()


def test_phone_menu_with_javascript_folds_behind_the_button(new_page):
    page = new_page(width=390)
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    toggle = nav.get_by_role("button", name="Menu")
    assert not nav.get_by_role("link", name="Sign in").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert nav.get_by_role("link", name="Sign in").is_visible()


def test_dark_mode_follows_the_system_and_the_toggle_is_remembered(new_page):
    page = new_page(color_scheme="dark")
    page.goto("/")
    html = page.locator("html")
    assert html.get_attribute("data-bs-theme") == "dark"
    toggle = page.get_by_role("button", name="Dark mode")
    assert toggle.get_attribute("aria-pressed") == "true"
    toggle.click()
    assert html.get_attribute("data-bs-theme") == "light"
    page.reload()
    assert html.get_attribute("data-bs-theme") == "light"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(251, 248, 243)"
    page.get_by_role("button", name="Dark mode").click()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(18, 24, 21)"
