"""Drawn emblems: a set of SVG drawings to choose from beside the emoji and the image."""

import pytest
from defusedxml import ElementTree as ET
from django.urls import reverse

from awards import emblems
from awards.models import Award
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def create_url(course):
    return reverse("awards:award_create", args=[course.slug])


@pytest.mark.parametrize("key", list(emblems.EMBLEMS))
def test_each_drawing_is_well_formed_svg_in_the_awards_colour(key):
    svg = ET.fromstring(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48">{emblems.drawing(key)}</svg>'
    )
    shapes = list(svg)
    assert shapes
    for shape in shapes:
        paint = {shape.get("fill"), shape.get("stroke")} - {None, "none"}
        assert paint == {"currentColor"}, (key, shape.attrib)


def test_there_are_eight_to_twelve_drawings():
    assert 8 <= len(emblems.EMBLEMS) <= 12
    assert emblems.drawing("no-such-emblem") == ""


def test_the_award_form_offers_each_drawing_and_the_emoji(client, instructor, create_url):
    client.force_login(instructor)
    content = client.get(create_url).content.decode()
    assert content.count('class="emblem-picker__drawing"') == len(emblems.EMBLEMS)
    assert 'name="symbol" value=""' in content  # the emoji stays a choice
    for _, name in emblems.CHOICES:
        assert name in content


def test_instructor_picks_a_drawn_emblem_and_pages_draw_it(client, course, instructor, create_url):
    client.force_login(instructor)
    response = client.post(
        create_url, {"name": "Laurels", "symbol": "laurel", "emoji": "", "colour": "#1f5c4d"}
    )
    assert response.status_code == 302
    award = Award.objects.get()
    assert award.symbol == "laurel"
    post = factories.PostFactory(course=course)
    factories.AwardGrantFactory(award=award, post=post, granted_by=instructor)
    for url in (award.get_absolute_url(), post.get_absolute_url(), course.get_absolute_url()):
        content = client.get(url).content.decode()
        assert '<svg class="award-emblem__drawing"' in content, url
        assert emblems.drawing("laurel") in content, url
        assert 'class="award-emblem__emoji"' not in content, url


def test_an_unknown_drawing_is_refused_and_the_form_kept(client, instructor, create_url):
    client.force_login(instructor)
    response = client.post(create_url, {"name": "Dragon", "symbol": "dragon", "colour": "#1f5c4d"})
    assert response.status_code == 200
    assert "symbol" in response.context["form"].errors
    assert 'value="Dragon"' in response.content.decode()
    assert not Award.objects.exists()


def test_the_emoji_is_still_a_choice(client, instructor, create_url):
    client.force_login(instructor)
    client.post(create_url, {"name": "Cheers", "symbol": "", "emoji": "🎉", "colour": "#1f5c4d"})
    award = Award.objects.get()
    assert (award.symbol, award.emoji) == ("", "🎉")
    content = client.get(award.get_absolute_url()).content.decode()
    assert '<span class="award-emblem__emoji" aria-hidden="true">🎉</span>' in content
    assert "award-emblem__drawing" not in content
