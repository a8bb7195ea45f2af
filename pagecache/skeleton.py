"""A page as stored, and the holes of a signed-in reader's copy.

A stored page is bytes split at the values that differ per request: the CSRF token of
its forms and the CSP nonce, kept as markers and filled in for each reader
(``request_values``, the one place), so every form's token stays valid.

A signed-in reader's copy is drawn once per (versions, standing) as a SKELETON: the
HTML with a HOLE wherever the page shows something of the reader's own (the header's
name and bell, a Like button, "Signed in as", a private part). Each reader then gets
the skeleton with their holes filled: by the code that drew the part in the first
place (a template block or page part drawn again, the comments' fillers), never by a
copy of a rule. A filler raises ``Bypass`` for a reader the skeleton can't serve
(their own comment waiting for moderation): their page is drawn for them alone.
"""

import re
from array import array

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from config.hooks import HOLE_FILLERS
from pagecache.request import state_of
from pagecache.tokens import masked_token

HEADER = "X-Page-Cache"
CSRF_MARKER = "\x00csrf\x00"
NONCE_MARKER = "\x00nonce\x00"
MARKERS = re.compile("\x00(csrf|nonce)\x00")
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
HOLE = "\x00h{}\x00"
# Headers a page's view sets that every copy of it carries (a course asking search
# engines not to index it: docs/privacy.md). The rest come from the middleware.
KEPT_HEADERS = ("X-Robots-Tag",)
SKELETON_MARKERS = re.compile("\x00(csrf|nonce|h\\d+)\x00")


# --- Per-request values: the CSRF token and the CSP nonce ---


def to_cache(request, response, markers=MARKERS, html=None):
    """((content type, kept headers), parts): the page as bytes, split at its
    per-request values; the odd parts name them ("csrf", "nonce"). Stored once, joined
    per reader. ``html``: the response's content, as the caller changed it."""
    charset = response.charset  # a property that asks the headers: once, not once a part
    if html is None:
        html = response.content.decode(charset)
    html = CSRF_INPUT.sub(rf"\g<1>{CSRF_MARKER}\g<2>", html)
    nonce = getattr(request, "_csp_nonce", None)  # django-csp's, when the page used one
    if nonce:
        html = html.replace(str(nonce), NONCE_MARKER)
    parts = markers.split(html)
    parts[::2] = [text.encode(charset) for text in parts[::2]]
    kept = tuple((name, response[name]) for name in KEPT_HEADERS if name in response)
    return ((response["Content-Type"], kept), parts)


def request_values(request, parts):
    """This reader's value of each per-request marker among a stored page's odd
    parts, as bytes: their CSRF token (Django's CSRF middleware sets the cookie that
    goes with it) and the request's CSP nonce."""
    return token_values(request, parts[1::2])


def token_values(request, names):
    """``request_values`` for the marker names ``names``."""
    values = {}
    if "csrf" in names:
        values["csrf"] = reader_token(request).encode()
    if "nonce" in names:
        values["nonce"] = str(getattr(request, "csp_nonce", "")).encode()
    return values


def reader_token(request):
    """The reader's CSRF token as ``get_token`` gives it (masked afresh on each call;
    ``tokens.masked_token``, the same in fewer steps), asked once per response however
    many of its forms and holes show it: one token for all a page's forms, as one
    template context gives them."""
    state = state_of(request)
    if state.token is None:
        state.token = masked_token(request)
    return state.token


def from_cache(request, stored, stale=False):
    """An anonymous reader's page from its stored parts (``stale``: a copy drawn under
    older versions, served while another process draws the current one)."""
    (content_type, kept), parts = stored
    if len(parts) > 1:
        values = request_values(request, parts)
        parts = [values[part] if n % 2 else part for n, part in enumerate(parts)]
    # Written part by part, never joined: the server sends the few parts as they are,
    # so a hit copies none of a long page, nor asks for a fresh buffer.
    response = HttpResponse(content_type=content_type)
    for part in parts:
        response.write(part)
    for name, value in kept:
        response[name] = value
    response[HEADER] = "stale" if stale else "hit"
    response["Content-Length"] = str(sum(len(part) for part in parts))
    patch_vary_headers(response, ["Cookie"])
    return response


# --- Skeletons: a signed-in reader's copy, with holes ---


class Bypass(Exception):
    """Raised by a filler (config.hooks.HOLE_FILLERS): this reader needs the page rendered
    for them."""


class Skeleton:
    """Collects the holes of a page being drawn for a standing (``skeleton_of``, while
    the view runs). Each hole has a cacheable spec and this reader's value."""

    def __init__(self, obj):
        self.obj = obj
        self.specs = []
        self.values = []
        self.usable = True  # False: this reader sees what their role's peers don't

    def hole(self, spec, value):
        return SafeString(self.marker(spec, value))

    def marker(self, spec, value):
        """``hole``'s marker as a plain str, for code that joins its own escaped markup
        (comments.threads: a SafeString costs a call each time it is formatted, and a
        member's P500 has a thousand holes)."""
        number = len(self.specs)
        self.specs.append(spec)
        self.values.append(value if value.__class__ is str else str(value))
        return f"\x00h{number}\x00"  # HOLE


class Filling:
    """What fillers share while one reader's holes are filled (``memo``: one query for
    all the holes of a kind, say)."""

    def __init__(self, request, obj):
        self.request = request
        self.obj = obj
        self.memo = {}

    def language(self):
        """``get_language()``, asked once for all this reader's holes (asgiref's Local:
        about 5 µs a call, and P500's fillers ask for it in a thousand holes)."""
        language = self.memo.get("language")
        if language is None:
            language = self.memo["language"] = get_language()
        return language


def skeleton_of(request):
    """The Skeleton being drawn for this request, or None (a page rendered as usual)."""
    state = getattr(request, "page_cache", None)
    return None if state is None else state.skeleton


def draw_skeleton(request, obj, draw):
    """``draw()``'s response, drawn with a Skeleton collecting its holes: (response,
    skeleton)."""
    state = state_of(request)
    state.skeleton = skeleton = Skeleton(obj)
    try:
        return draw(), skeleton
    finally:
        state.skeleton = None


def fill(request, obj, specs):
    """This reader's value of each hole, as bytes, in the holes' order."""
    filling = Filling(request, obj)
    fillers = {filler.kind: filler.fill for filler in HOLE_FILLERS}
    values = [fillers[spec[0]](filling, spec) for spec in specs]
    return [v if v.__class__ is bytes else str(v).encode() for v in values]


class Prefilled:
    """A skeleton as ``with_shared_holes`` filled it: ``stored`` (its shared holes
    joined into the bytes around them), ``values`` (each defaulted hole's default, None
    elsewhere), ``own`` (``[(filler.own, {key: [(hole, spec), ...]}), ...]``) and
    ``rest`` (the numbers of the holes filled for each reader as usual).

    It also keeps the page as most readers get it (``template``: ``stored``'s parts
    with each defaulted hole's default in its place, and its length), where each hole
    is (``positions``, by hole number) and the per-request markers (``tokens``), so that
    a hit (``parts_for``) copies that list and puts in only the reader's own values,
    not one pick per hole of a page with a thousand of them (a member's P500)."""

    __slots__ = ("stored", "values", "own", "rest", "template", "positions", "tokens", "length")

    def __init__(self, stored, values, own, rest):
        self.stored, self.values, self.own, self.rest = stored, values, own, rest
        parts = stored[1]
        template = parts[:]
        positions = array("q", bytes(8 * len(values)))
        tokens = []
        for n in range(1, len(parts), 2):
            hole = parts[n]
            if hole.__class__ is int:
                positions[hole] = n
                template[n] = values[hole] or b""
            else:
                tokens.append((n, hole))
                template[n] = b""
        self.template, self.positions, self.tokens = template, positions, tuple(tokens)
        self.length = sum(map(len, template))

    def stored_bytes(self):
        """About how many bytes it holds (``store.RecentPages``): its joined parts and
        its specs' text (the defaults are the specs' own bytes), and the template's
        list and positions."""
        parts = sum(len(part) for part in self.stored[1] if part.__class__ is bytes)
        specs = sum(len(x) for spec in self.stored[2] for x in spec if isinstance(x, bytes | str))
        return parts + specs + 8 * len(self.template) + 8 * len(self.positions)

    def own_values(self, filling):
        """(hole number, bytes) for each hole whose value is this reader's own: those
        ``own`` finds them differing in, and the ``rest``."""
        for own, holes in self.own:
            for hole, value in own(filling, holes):
                yield hole, value if value.__class__ is bytes else str(value).encode()
        if self.rest:
            specs = self.stored[2]
            fillers = {filler.kind: filler.fill for filler in HOLE_FILLERS}
            for hole in self.rest:
                spec = specs[hole]
                value = fillers[spec[0]](filling, spec)
                yield hole, value if value.__class__ is bytes else str(value).encode()

    def parts_for(self, request, obj):
        """(parts, length): the page's bytes for this reader, as ``from_skeleton`` would
        join ``stored`` with ``values`` and ``own_values``, and their length."""
        joined = self.template[:]
        length = self.length
        positions = self.positions
        for hole, value in self.own_values(Filling(request, obj)):
            n = positions[hole]
            length += len(value) - len(joined[n])
            joined[n] = value
        if self.tokens:
            tokens = token_values(request, [name for _, name in self.tokens])
            for n, name in self.tokens:
                joined[n] = value = tokens[name]
                length += len(value)
        return joined, length


def with_shared_holes(request, obj, stored):
    """The skeleton prefilled (``Prefilled``): the holes every reader sees alike
    (``Filler.shared``: filled from what the page's hole versions key) filled and
    joined with the bytes around them, and the defaulted holes' defaults (``Filler.default``)
    ready, so that a hit fills only what is the reader's own. The caller keeps it under
    the copy's key and the hole versions."""
    head, parts, specs = stored
    fillers = {filler.kind: filler for filler in HOLE_FILLERS}
    filling = Filling(request, obj)
    values = [None] * len(specs)
    index, rest = {}, []
    joined, run = [], []
    for n, part in enumerate(parts):
        if n % 2 == 0:
            run.append(part)
            continue
        filler = fillers[specs[part][0]] if part.__class__ is int else None
        if filler is not None and filler.shared:
            value = filler.fill(filling, specs[part])
            run.append(value if value.__class__ is bytes else str(value).encode())
            continue
        joined += [b"".join(run), part]
        run = []
        if filler is None:
            continue
        if filler.default is not None:
            spec = specs[part]
            value = filler.default(spec)
            values[part] = value if value.__class__ is bytes else str(value).encode()
            holes = index.setdefault(filler.kind, {})
            holes.setdefault(filler.key(spec), []).append((part, spec))
        else:
            rest.append(part)
    joined.append(b"".join(run))
    own = [(fillers[kind].own, holes) for kind, holes in index.items()]
    return Prefilled((head, joined, specs), values, own, rest)


def to_skeleton(request, response, specs):
    """(content type, parts, specs): the page as bytes split at its holes, each odd part
    the hole's number (an int) or "csrf"/"nonce". Fillers may return bytes (a spec's
    HTML kept encoded, say), so that a hit only picks and joins."""
    head, parts = to_cache(request, response, markers=SKELETON_MARKERS)
    parts[1::2] = [int(name[1:]) if name[0] == "h" else name for name in parts[1::2]]
    return (head, parts, specs)


# A page from a skeleton is handed to the server in pieces of about this many bytes,
# joined as the server asks for each: joined whole, a member's P500 (350-480 KB) was a
# block that malloc took from mmap, above the workers' fixed threshold (128 KB,
# deploy/gunicorn.conf.py), and gave back on every hit, its fresh pages faulting in one
# by one. Pieces made one at a time reuse the last one's memory; all made at once, or
# of 64 KB, were freed onto the heap's top past its trim threshold (also 128 KB) and
# given back (brk) on every hit, the same faults (counted with strace; in process,
# bench/member_hits.py has no such threshold unless set: docs/decisions.md).
PIECE_BYTES = 32 * 1024


def pieces(parts):
    """``parts`` (bytes) joined into pieces of about PIECE_BYTES each, by counts of parts
    (a skeleton's are a few hundred bytes each: a loop that weighed each part cost more
    than it saved), one at a time."""
    total = sum(map(len, parts))
    step = max(1, len(parts) * PIECE_BYTES // max(total, 1))
    for n in range(0, len(parts), step):
        yield b"".join(parts[n : n + step])


class Pieces:
    """A response's content as its parts, joined into ``pieces`` each time it is read:
    the server (gunicorn writes each item it is given) gets them one by one, and
    ``response.content`` still joins them whole."""

    __slots__ = ("parts",)

    def __init__(self, parts):
        self.parts = parts

    def __iter__(self):
        return pieces(self.parts)


class PiecesResponse(HttpResponse):
    """An HttpResponse whose content is ``Pieces`` (not a list of bytes): written as
    it is read; its Content-Length is set here, so no middleware joins it."""

    def __init__(self, parts, length=None, **kwargs):
        super().__init__(**kwargs)
        self._container = Pieces(parts)
        self["Content-Length"] = str(sum(map(len, parts)) if length is None else length)


def from_skeleton(request, stored, values, like=None):
    """The page: the skeleton's parts joined with ``values`` (bytes, by hole number),
    handed to the server in pieces (``PiecesResponse``), never joined whole."""
    head, parts, _specs = stored
    tokens = request_values(request, parts)
    joined = parts[:]
    joined[1::2] = [values[h] if h.__class__ is int else tokens[h] for h in parts[1::2]]
    return skeleton_response(head, joined, like=like)


def from_prefilled(request, obj, prefilled):
    """``from_skeleton`` of a prefilled skeleton and this reader's values
    (``Prefilled.parts_for``): the same page."""
    joined, length = prefilled.parts_for(request, obj)
    return skeleton_response(prefilled.stored[0], joined, length)


def skeleton_response(head, joined, length=None, like=None):
    """A ``PiecesResponse`` of a skeleton's joined parts (``length``: their length, if
    known), with the headers every copy carries and, from ``like`` (a drawn
    response), the others."""
    content_type, kept = head
    response = PiecesResponse(joined, length, content_type=content_type)
    for name, value in kept:
        response[name] = value
    if like is not None:
        for header, value in like.items():
            if header.lower() not in ("content-length", "content-type"):
                response[header] = value
        response.cookies = like.cookies
    patch_vary_headers(response, ["Cookie"])
    return response


# --- An anonymous reader's page: a skeleton with only its shared holes ---

HOLE_MARKER = re.compile("\x00h(\\d+)\x00")


def to_anonymous_skeleton(request, response, skeleton):
    """An anonymous reader's page drawn as a skeleton, stored as ``to_skeleton`` stores a
    skeleton, but with only its shared holes open (``Filler.shared``: the "Liked by"
    lines, filled from what the page's hole versions key): every other hole is joined
    with the value drawn, which is every anonymous reader's (an anonymous page is the
    same for all of them but its CSRF token and nonce, markers here as in ``to_cache``).
    The specs of the joined holes are None. ``anonymous_page`` joins it with the drawn
    values (``join_holes``: the whole page) and, once only the hole versions moved on,
    with the shared holes filled again (``with_shared_holes``)."""
    shared = {filler.kind for filler in HOLE_FILLERS if filler.shared}
    specs = [spec if spec[0] in shared else None for spec in skeleton.specs]
    values = skeleton.values

    def joined(match):
        hole = int(match.group(1))
        return match.group(0) if specs[hole] is not None else values[hole]

    html = HOLE_MARKER.sub(joined, response.content.decode(response.charset))
    head, parts = to_cache(request, response, markers=SKELETON_MARKERS, html=html)
    parts[1::2] = [int(name[1:]) if name[0] == "h" else name for name in parts[1::2]]
    return (head, parts, specs)


def join_holes(stored, values):
    """A skeleton's holes joined with ``values`` (bytes by hole number): the page as
    ``to_cache`` stores it, split only at its per-request markers."""
    head, parts, _specs = stored
    joined, run = [], []
    for n, part in enumerate(parts):
        if n % 2 == 0:
            run.append(part)
        elif part.__class__ is int:
            run.append(values[part])
        else:
            joined += [b"".join(run), part]
            run = []
    joined.append(b"".join(run))
    return (head, joined)
