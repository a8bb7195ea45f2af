"""blog's system checks."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register

from blog import palette


@register()
def accent_palette_contrast_check(app_configs, **kwargs):
    """Every accent colour keeps WCAG AA contrast on the stylesheet's light and dark
    backgrounds (blog.palette): a theme colour changed in main.css is checked too."""
    stylesheet = Path(settings.BASE_DIR) / "static" / "css" / "main.css"
    try:
        themes = palette.theme_colours(stylesheet.read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return [
            Error(
                f"Could not read the theme colours (--paper, --card, --ink) of {stylesheet}.",
                id="blog.E002",
            )
        ]
    return [
        Error(problem, hint="Change the colour in blog/palette.py.", id="blog.E001")
        for problem in palette.contrast_problems(themes)
    ]
