"""The site's few icons, each path drawn once.

Templates use ``{% icon "heart" 18 %}`` (blog_tags). A long list of comments draws no
markup for its hearts: the stylesheet's ``.comment .like-button::before`` masks the same heart
path (static/css/main.css; tests/accounts/test_avatars.py keeps the two the same).
"""

from django.utils.safestring import SafeString

PATHS = {
    "heart": (
        "M12 21s-7.5-4.6-9.6-9.2C1 8.6 3 5 6.5 5c2 0 3.6 1.1 4.5 2.6C11.9 6.1 13.5 5 15.5 5 "
        "19 5 21 8.6 19.6 11.8 17.5 16.4 12 21 12 21z"
    ),
    "comment": "M4 4h16a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H9l-5 4V5a1 1 0 0 1 1-1z",
}
VIEWBOX = "0 0 24 24"


def icon_svg(name, size, css_class=""):
    """An inline, decorative SVG icon. ``fill`` is currentColor unless the class's CSS
    says otherwise (the like button draws an outline)."""
    class_attr = f' class="{css_class}"' if css_class else ""
    return SafeString(
        f'<svg{class_attr} viewBox="{VIEWBOX}" width="{size}" height="{size}" '
        f'aria-hidden="true" fill="currentColor"><path d="{PATHS[name]}"/></svg>'
    )
