"""A hit of a prefilled skeleton (pagecache.skeleton.Prefilled.parts_for) copies the page
as most readers get it and puts in only the reader's own values: the same bytes and
Content-Length as the skeleton joined with every hole's value (``from_skeleton``)."""

from django.test import RequestFactory

from pagecache.skeleton import Prefilled, from_prefilled, from_skeleton


def own_pressed(filling, holes):
    """A reader's own values: the holes under key "mine", pressed."""
    for hole, spec in holes.get("mine", ()):
        yield hole, spec[3]


def skeleton_with_defaulted_holes():
    parts, specs, values, holes = [], [], [], {}
    for n in range(300):
        key = "mine" if n % 7 == 0 else n
        specs.append(("like", key, b"", b"<b>pressed %d</b>" % n))
        values.append(b"<i>not pressed</i>" if n % 3 else b"")
        holes.setdefault(key, []).append((n, specs[-1]))
        parts += [b"<p>text %d</p>" % n, n]
        if n % 50 == 0:
            parts += [b"<form>", "csrf"]
    parts += [b'<script nonce="', "nonce", b'"></script>']
    stored = (("text/html; charset=utf-8", (("X-Robots-Tag", "noindex"),)), parts, specs)
    return Prefilled(stored, values, [(own_pressed, holes)], []), values


def test_a_prefilled_hit_is_the_skeleton_joined_with_every_holes_value():
    prefilled, defaults = skeleton_with_defaulted_holes()
    request = RequestFactory().get("/")
    request.csp_nonce = "the-nonce"
    hit = from_prefilled(request, None, prefilled)
    values = defaults[:]
    for hole, spec in enumerate(prefilled.stored[2]):
        if spec[1] == "mine":
            values[hole] = spec[3]
    joined = from_skeleton(request, prefilled.stored, values)  # the same request: its token
    assert b"".join(hit) == b"".join(joined)
    assert b"<b>pressed 7</b>" in b"".join(hit) and b"the-nonce" in b"".join(hit)
    assert hit["Content-Length"] == joined["Content-Length"] == str(len(b"".join(hit)))
    assert hit.items() == joined.items()
    # The template is never changed by a hit: the next reader starts from the defaults
    assert b"<b>pressed" not in b"".join(part for part in prefilled.template)
