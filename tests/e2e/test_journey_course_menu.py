"""Journey: a reader on a phone reaches a course page through the course menu with the
keyboard alone (the "Course menu" disclosure, then a page under the Schedule), with
axe on each step; the menu without JavaScript; and the course with its menu at 1280 and
390 px, light and dark (screenshots in tests/e2e/screenshots/)."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import SCREENSHOTS, assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = 390


def course_with_pages():
    course = factories.CourseFactory(title="HIST 247: After Stalin", slug="hist-247")
    student = factories.MembershipFactory(course=course).user
    factories.PostFactory(course=course, author=student, title="What the Secret Speech left out")
    factories.PageFactory(course=course, title="Syllabus", order=1, body="Four essays.")
    schedule = factories.PageFactory(course=course, title="Schedule", order=2, body="Weeks.")
    factories.PageFactory(
        course=course, title="Week 1: The succession", parent=schedule, body="Read pp. 1–38."
    )
    factories.PageFactory(course=course, title="About the course", order=3, body="About.")
    return course


def tab_to(page, is_there, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(is_there):
            return
    pytest.fail("Tab never reached it")


def test_a_phone_reader_reaches_a_page_through_the_menu_by_keyboard(new_page):
    course = course_with_pages()
    page = new_page(width=PHONE)
    page.goto(course.get_absolute_url())
    expect(page.locator(".course-menu__bar")).to_be_hidden()
    toggle = page.locator(".course-menu__phone > summary")
    expect(toggle).to_be_visible()
    expect(page.get_by_role("link", name="Week 1: The succession")).to_be_hidden()
    assert_accessible(page, label="course page on a phone, menu closed")

    tab_to(page, "() => document.activeElement.matches('.course-menu__phone > summary')")
    page.keyboard.press("Enter")  # opens the disclosure
    week = page.locator(".course-menu__phone").get_by_role("link", name="Week 1: The succession")
    expect(week).to_be_visible()
    assert_accessible(page, label="course page on a phone, menu open")
    tab_to(page, "() => document.activeElement.textContent === 'Week 1: The succession'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{page.url.split('/c/')[0]}/c/hist-247/pages/week-1-the-succession/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Week 1: The succession")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert_accessible(page, label="a page on a phone")


def test_the_wide_menu_opens_a_pages_children_by_keyboard(new_page):
    course = course_with_pages()
    page = new_page()
    page.goto(course.get_absolute_url())
    expect(page.locator(".course-menu__phone")).to_be_hidden()
    bar = page.locator(".course-menu__bar")
    expect(bar.get_by_role("link", name="Syllabus")).to_be_visible()
    tab_to(page, "() => document.activeElement.matches('.course-menu__more')")
    page.keyboard.press("Enter")
    child = bar.get_by_role("link", name="Week 1: The succession")
    expect(child).to_be_visible()
    assert_accessible(page, label="course page, a page's children open")


def test_without_javascript_the_menu_still_opens(new_page):
    course = course_with_pages()
    page = new_page(width=PHONE, javascript=False)
    page.goto(course.get_absolute_url())
    page.locator(".course-menu__phone > summary").click()
    page.locator(".course-menu__phone").get_by_role("link", name="Syllabus").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Syllabus")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_look_of_the_course_menu(new_page, scheme):
    course = course_with_pages()
    SCREENSHOTS.mkdir(exist_ok=True)
    for width in (1280, PHONE):
        page = new_page(width=width, color_scheme=scheme)
        page.goto(course.get_absolute_url())
        if width == PHONE:
            page.locator(".course-menu__phone > summary").click()
        else:
            page.locator(".course-menu__more").click()
        assert_accessible(page, label=f"course menu, {scheme}, {width} px")
        page.screenshot(path=str(SCREENSHOTS / f"course-menu-{scheme}-{width}.png"))


def test_an_instructor_writes_a_page_with_the_live_preview_and_it_joins_the_menu(new_page):
    course = course_with_pages()
    instructor = factories.MembershipFactory(course=course, role="instructor").user
    page = new_page(user=instructor)
    page.goto(course.get_absolute_url())
    page.get_by_role("link", name="Pages and the course menu").click()
    page.get_by_role("link", name="New page").click()
    page.get_by_label("Title").fill("Office hours")
    page.get_by_label("Text (Markdown)").fill("Tuesdays, **room 312**.")
    expect(page.locator("#editor-preview strong")).to_have_text("room 312")  # live
    page.get_by_label("Parent").select_option(label="About the course")
    assert_accessible(page, label="the page editor")
    page.get_by_role("button", name="Publish now", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Office hours")
    bar = page.locator(".course-menu__bar")
    bar.locator(".course-menu__item", has_text="About the course").locator("summary").click()
    expect(bar.get_by_role("link", name="Office hours")).to_have_attribute("aria-current", "page")
