"""``CachedPage``: the one definition of a cached page, which both caches use.

A page says how to find what it shows for a reader (``lookup``), which versions its
copies are kept under (``version_fields``, read by one compiled query for an
anonymous reader and from the looked-up object for a signed-in one: written once),
and what else a signed-in reader's copy depends on (``standing``). The view that draws
it keeps its URL's signature and asks ``page.found(request, **url_kwargs)`` for the
object: the lookup runs once per request, whoever asks first (the middleware on a
signed-in reader's visit, else the view).
"""

from functools import lru_cache

from django.urls import Resolver404, resolve

from config.db import DirectQuery
from pagecache.request import state_of


class CachedPage:
    """Subclass it where the page lives, and decorate the page's view with
    ``decorators.cached_page(page)``.

    - ``version_fields``: the fields (``__`` paths through relations, as in a query)
      whose values key the page's copies; ``hole_version_fields``: those that key only
      an anonymous reader's whole page (a signed-in reader's holes are filled from what
      they version, at hit time; an anonymous reader's skeleton is kept without them:
      ``without_hole_versions``, which expects the default ``versions``);
    - ``versions_query(**url_kwargs)``: the rows those fields are read from, for a
      reader who sees what everyone sees (anonymous); ``versions(rows)`` makes the
      versions of them (by default the one row; None: no such page, the view answers);
    - ``lookup(request, **url_kwargs)``: what the page shows this reader (raise Http404
      for a page they may not see); ``rows_of(obj)`` reads the version fields from it;
    - ``standing(request, obj)``: everything besides the holes that the page's
      predicates answer differently for different signed-in readers (role, authorship).
    """

    version_fields = ()
    # Versions of what a signed-in reader's holes are filled from at hit time (like
    # counts): they key an anonymous reader's whole page, never a skeleton, so a change
    # to them redraws no signed-in reader's copy.
    hole_version_fields = ()

    def versions_query(self, **url_kwargs):
        raise NotImplementedError

    def versions(self, rows):
        return tuple(rows[0]) if rows else None

    def lookup(self, request, **url_kwargs):
        raise NotImplementedError

    def rows_of(self, obj):
        return [tuple(_read(obj, path) for path in self.version_fields)]

    def standing(self, request, obj):
        return ()

    # --- What the caches ask ---

    def anonymous_versions(self, **url_kwargs):
        """The versions of an anonymous reader's copy: one query, compiled once per
        process (building it with the ORM on every request cost more than running it)."""
        return self.versions(self._versions_query(tuple(url_kwargs)).rows(**url_kwargs))

    def without_hole_versions(self, versions):
        """An anonymous reader's versions without the hole versions (the last ones, as
        the default ``versions`` reads them), which key the page's anonymous skeleton;
        None for a page without hole versions."""
        holes = len(self.hole_version_fields)
        return versions[:-holes] if holes and versions is not None else None

    def hole_versions(self, obj):
        """The versions of what a signed-in reader's holes are filled from, read from
        what the lookup found: they key a copy with its shared holes filled."""
        return tuple(_read(obj, path) for path in self.hole_version_fields)

    def member_versions(self, request, obj):
        """(versions, standing) of a signed-in reader's copy, from what the lookup found."""
        return self.versions(self.rows_of(obj)), self.standing(request, obj)

    def found(self, request, **url_kwargs):
        """What ``lookup`` finds for this request, asked once: the middleware or the
        view's decorator may have asked already."""
        state = state_of(request)
        if state.page is not self:
            state.found = self.lookup(request, **url_kwargs)
            state.page = self
        return state.found

    def _versions_query(self, names):
        compiled = self.__dict__.setdefault("_compiled", {})
        if names not in compiled:
            placeholders = {name: f"\x00{name}\x00" for name in names}
            compiled[names] = DirectQuery(
                lambda **values: (
                    self.versions_query(**values)
                    .order_by()
                    .values_list(*self.version_fields, *self.hole_version_fields)
                ),
                **placeholders,
            )
        return compiled[names]


def _read(obj, path):
    for name in path.split("__"):
        obj = getattr(obj, name)
    return obj


@lru_cache(maxsize=2048)
def page_at(path, urlconf):
    """(CachedPage, URL kwargs) of the view at this path, else None. URLs map to views
    the same way for the life of the process, so the answer is kept (bounded: paths
    come from anyone)."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    page = getattr(match.func, "cached_page", None)
    if page is None or match.args:
        return None
    return page, match.kwargs
