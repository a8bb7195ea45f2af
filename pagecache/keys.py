"""The key a copy of a page is kept under.

Pages embed absolute addresses (the canonical link, og:url), so a key starts with the
scheme and the host, as Django's own cache keys on ``build_absolute_uri``: a page
drawn for one host is never served to a reader of another. The host is
``request.get_host()``, which validates it against ALLOWED_HOSTS and raises
DisallowedHost (Django answers 400) for any other: a hit is answered before the
middleware that would otherwise check it (CommonMiddleware).
"""

import hashlib

# The prefixes also change when the markup that static/js/comments.js reads changes, so
# that no copy drawn by the release before is served beside the new script (page4,
# anon3, member5 and kept parts' part3: the cards' Like, "Liked by" and Reply markup of
# issue 34, docs/decisions.md; comments' likes2 holds no markup that changed).

# An anonymous reader's copy: a new prefix when skeleton.to_cache's layout changes.
PAGE_FORMAT = "page4:"
# An anonymous reader's copy with its shared holes open (skeleton.to_anonymous_skeleton):
# a new prefix when that layout changes.
ANONYMOUS_SKELETON_FORMAT = "anon3:"
# A signed-in reader's copy (a skeleton): a new prefix when skeleton.to_skeleton's
# layout changes, so that a new release never reads an old copy.
SKELETON_FORMAT = "member5:"


def page_key(request, versions):
    """An anonymous reader's copy: the page's address and ``?page=``, and its versions."""
    return f"{page_address(request)}:{'.'.join(str(v) for v in versions)}"


def page_address(request):
    """An anonymous reader's copy without its versions: where the copy drawn last is
    remembered (``store.claim``)."""
    return f"{PAGE_FORMAT}{request.scheme}://{request_host(request)}{request.path}:" + (
        request.GET.get("page", "")
    )


def request_host(request):
    """``request.get_host()``: as the middleware validated it (``PageCacheState.host``),
    or validated here (a view without the middleware)."""
    state = getattr(request, "page_cache", None)
    host = None if state is None else state.host
    return request.get_host() if host is None else host


def anonymous_skeleton_key(request, versions):
    """An anonymous reader's skeleton: the page's address, and its versions without the
    hole versions (``CachedPage.without_hole_versions``)."""
    return f"{anonymous_skeleton_address(request)}:{'.'.join(str(v) for v in versions)}"


def anonymous_skeleton_address(request):
    """An anonymous reader's skeleton without its versions (``store.remember_drawn``)."""
    return ANONYMOUS_SKELETON_FORMAT + page_address(request)


def member_key(request, versions, standing):
    """A signed-in reader's copy: the same, and the reader's standing (everything the
    page's predicates answer differently by, besides the holes)."""
    return f"{member_address(request, standing)}:{'.'.join(str(v) for v in versions)}"


def member_address(request, standing):
    """A signed-in reader's copy without its versions."""
    digest = hashlib.sha256(repr(standing).encode()).hexdigest()[:32]
    return f"{SKELETON_FORMAT}{page_address(request)}:{digest}"
