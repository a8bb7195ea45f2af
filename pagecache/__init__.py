"""The page cache: whole pages for anonymous readers, and for signed-in readers one copy
per standing with each reader's own parts filled in, keyed by versions that live in the
database beside the rows they describe.

A layer of its own, as Django's sessions and cache are: it imports no app of the
project. An app describes each page it wants cached with a ``pages.CachedPage`` (how
to find what the page shows for a reader, the versions and standing its copies are
kept under) and decorates the view with ``decorators.cached_page``; the app bumps the
versions in the same transaction as each change (blog.versions does it for blog's
pages), so a page drawn before a change sits under old versions and is never asked
for again.

- ``request``: what the cache knows about a request (one object, ``request.page_cache``)
  and the one rule for whether the cache may answer it (``usable_cache``).
- ``keys``: a copy's key: scheme, host, path, ``?page=``, versions (and standing).
- ``store``: the shared cache, behind each process's most recent pages (RecentPages),
  and one drawer per changed copy (``claim``: the others serve the copy drawn before
  it for ``PAGE_CACHE_STALE_SECONDS``, never to a reader who just wrote).
- ``skeleton``: a page as stored: bytes split at per-request values (CSRF token, CSP
  nonce) and, for signed-in readers, at holes that fillers fill for each reader.
- ``readers``: who a session belongs to, read as Django's ``get_user`` would, without
  the stack.
- ``pages``: ``CachedPage``, the one definition of a cached page both caches use.
- ``decorators``: ``cached_page(page)``, the view's side: serve, draw and store.
- ``middleware``: answers hits before sessions, CSRF, users and messages run; hands
  what it loaded to the stack on a miss.

The cache is an optimisation only: when it fails, the error is logged and the page
is drawn as if the cache were empty. docs/architecture.md ("Page cache") tells the
whole story.
"""
