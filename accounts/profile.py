"""The public profile page is assembled from sections that apps register.

accounts knows nothing of posts or awards; blog and awards add their sections with
``hooks.PROFILE_SECTIONS`` (config/hooks.py) in their hooks.py. A section is a callable
``(request, profile_user) -> dict | None``; the dict holds a ``template`` and the
context it needs (loaded in the callable, so the template runs no queries).
"""

from config import hooks


def sections_for(request, profile_user):
    results = []
    for section_of in hooks.PROFILE_SECTIONS:
        section = section_of(request, profile_user)
        if section:
            results.append(section)
    return results
