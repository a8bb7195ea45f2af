"""The public profile page is assembled from sections that apps register.

accounts knows nothing of posts or awards; blog and awards add their parts in
their AppConfig.ready() with ``register_section``. A section is a callable
``(request, profile_user) -> dict | None``; the dict holds a ``template`` and the
context it needs (loaded in the callable, so the template runs no queries).
"""

_sections = []


def register_section(func, *, order=100):
    _sections.append((order, func))
    _sections.sort(key=lambda item: item[0])
    return func


def sections_for(request, profile_user):
    results = []
    for _, func in _sections:
        section = func(request, profile_user)
        if section:
            results.append(section)
    return results
