"""The course's time zone is chosen from a list of the zones Python knows, grouped by
region, and checked on the server (issue 27, item 12)."""

import zoneinfo

from django.urls import reverse

from blog.forms import CourseForm, time_zone_choices


def settings_data(course, **changes):
    return {
        "title": course.title,
        "visibility": "public",
        "guest_comments": "moderated",
        "thread_depth": 5,
        "time_zone": course.time_zone,
    } | changes


def test_time_zone_is_a_grouped_select_of_every_known_zone(client, course, instructor):
    course.time_zone = "America/New_York"
    course.save()
    client.force_login(instructor)
    html = client.get(reverse("blog:course_settings", args=[course.slug])).content.decode()
    assert '<select name="time_zone"' in html
    assert '<optgroup label="Europe">' in html
    assert '<option value="Europe/London">London</option>' in html
    assert '<option value="America/New_York" selected>New York</option>' in html
    listed = {value for _, options in time_zone_choices() for value, _ in options}
    assert listed == zoneinfo.available_timezones()


def test_a_zone_not_on_the_list_is_refused_and_the_old_one_kept(client, course, instructor):
    client.force_login(instructor)
    url = reverse("blog:course_settings", args=[course.slug])
    response = client.post(url, settings_data(course, time_zone="Mars/Olympus"))
    assert response.status_code == 400  # a rejected settings form: 4xx, as typed
    assert "Choose a time zone from the list" in response.content.decode()
    before = course.time_zone
    course.refresh_from_db()
    assert course.time_zone == before


def test_choosing_a_zone_from_the_list_saves_it(client, course, instructor):
    client.force_login(instructor)
    url = reverse("blog:course_settings", args=[course.slug])
    response = client.post(url, settings_data(course, time_zone="Asia/Kolkata"))
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.time_zone == "Asia/Kolkata"


def test_a_new_course_starts_on_the_sites_zone(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    form = CourseForm()
    assert form["time_zone"].value() == "Europe/Berlin"
