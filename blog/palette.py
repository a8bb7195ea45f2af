"""A course's accent colour: a fixed palette whose every colour keeps WCAG AA contrast
on the site's light and dark backgrounds, and the arithmetic that proves it.

Each named colour has a value per theme for each of the stylesheet's accent custom
properties (static/css/main.css): ``--accent`` (links and headings on the page and on
cards), ``--accent-dark`` (hovered links; chips' text on ``--accent-soft``),
``--accent-soft`` (chips' and initials' background) and ``--button`` /
``--button-hover`` (filled buttons, white text); Bootstrap's link colours follow
``--accent`` and ``--accent-dark``. ``contrast_problems`` checks each
against the backgrounds and text colours the stylesheet defines for each theme; the
test suite and a system check (blog.checks) run it against the stylesheet itself, so a
palette colour or a theme colour changed without the other fails (docs/decisions.md,
"A course's accent").
"""

from dataclasses import dataclass

TEXT = 4.5  # WCAG 2.1 AA, 1.4.3: normal text
UI = 3.0  # 1.4.11: parts of controls and graphics (a border, a focus ring)


@dataclass(frozen=True)
class Shades:
    accent: str
    accent_dark: str
    accent_soft: str
    button: str
    button_hover: str

    def properties(self):
        """The custom properties, as CSS declarations (and Bootstrap's link colours,
        which it reads as "r,g,b": links are accent text, hovered ones accent-dark)."""
        return (
            f"--accent:{self.accent};--accent-dark:{self.accent_dark};"
            f"--accent-soft:{self.accent_soft};--button:{self.button};"
            f"--button-hover:{self.button_hover};"
            f"--bs-link-color-rgb:{rgb_triplet(self.accent)};"
            f"--bs-link-hover-color-rgb:{rgb_triplet(self.accent_dark)}"
        )


@dataclass(frozen=True)
class Accent:
    key: str
    label: str
    light: Shades
    dark: Shades

    @property
    def swatch(self):
        return self.light.accent


PALETTE = (
    Accent(
        "blue",
        "Blue",
        Shades("#1d4f91", "#153a6b", "#e3ecf7", "#1d4f91", "#153a6b"),
        Shades("#8db8f0", "#bcd6f7", "#1c2c42", "#2f62a6", "#27538c"),
    ),
    Accent(
        "teal",
        "Teal",
        Shades("#0f5e66", "#0a454b", "#e0f0f1", "#0f5e66", "#0a454b"),
        Shades("#7fcfd6", "#b2e5e9", "#17363a", "#1f6f77", "#195c63"),
    ),
    Accent(
        "plum",
        "Plum",
        Shades("#6b2f6b", "#4f224f", "#f1e6f1", "#6b2f6b", "#4f224f"),
        Shades("#d9a3d9", "#ecccec", "#35233a", "#7d447d", "#6a396a"),
    ),
    Accent(
        "crimson",
        "Crimson",
        Shades("#9b1c31", "#731524", "#f8e4e7", "#9b1c31", "#731524"),
        Shades("#f29aa8", "#f8c6ce", "#3d1e24", "#a8364a", "#8f2d3f"),
    ),
    Accent(
        "ochre",
        "Ochre",
        Shades("#7a4f00", "#5a3a00", "#f6ecd9", "#7a4f00", "#5a3a00"),
        Shades("#e0b15a", "#f0d39c", "#3a2e14", "#85591a", "#704a14"),
    ),
    Accent(
        "slate",
        "Slate",
        Shades("#3d4a5c", "#2b3542", "#e7eaef", "#3d4a5c", "#2b3542"),
        Shades("#aab8cc", "#cfd8e4", "#262d37", "#4e5d72", "#414e60"),
    ),
)
BY_KEY = {accent.key: accent for accent in PALETTE}
ACCENT_CHOICES = [("", "The site's green"), *((a.key, a.label) for a in PALETTE)]


def rgb_triplet(colour):
    value = colour.lstrip("#")
    return ",".join(str(int(value[i : i + 2], 16)) for i in (0, 2, 4))


def accent_of(key):
    return BY_KEY.get(key)


def style_rules(accent):
    """The CSS that gives a page `accent` in both themes (screens only: print keeps
    its black). The page writes it in a nonce'd <style> (base.html)."""
    return (
        f"@media screen{{:root{{{accent.light.properties()}}}"
        f"[data-bs-theme=dark]{{{accent.dark.properties()}}}}}"
    )


# --- Contrast (WCAG 2.1, "relative luminance" and "contrast ratio") ---


def luminance(colour):
    """The relative luminance of a #rrggbb colour."""
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one, other):
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def pairs_to_check(shades, theme):
    """(what, foreground, background, minimum) for one theme's shades, where `theme`
    holds the stylesheet's ``paper``, ``card`` and ``ink`` of that theme."""
    return [
        ("accent text on the page", shades.accent, theme["paper"], TEXT),
        ("accent text on a card", shades.accent, theme["card"], TEXT),
        ("hovered link on the page", shades.accent_dark, theme["paper"], TEXT),
        ("hovered link on a card", shades.accent_dark, theme["card"], TEXT),
        ("chip text on its soft background", shades.accent_dark, shades.accent_soft, TEXT),
        ("body text on the soft background", theme["ink"], shades.accent_soft, TEXT),
        ("accent border on the soft background", shades.accent, shades.accent_soft, UI),
        ("button text", "#ffffff", shades.button, TEXT),
        ("hovered button text", "#ffffff", shades.button_hover, TEXT),
    ]


def contrast_problems(themes, palette=PALETTE):
    """Every pair short of its minimum, in words ([] when the palette keeps AA).
    `themes`: {"light": {"paper":, "card":, "ink":}, "dark": {...}} as the stylesheet
    defines them (``theme_colours``)."""
    problems = []
    for accent in palette:
        for name in ("light", "dark"):
            shades = getattr(accent, name)
            for what, fg, bg, minimum in pairs_to_check(shades, themes[name]):
                ratio = contrast(fg, bg)
                if ratio < minimum:
                    problems.append(
                        f"{accent.label}, {name} theme: {what} is {ratio:.2f}:1 "
                        f"({fg} on {bg}), under {minimum}:1"
                    )
    return problems


def theme_colours(css):
    """The light (``:root``) and dark (``[data-bs-theme=dark]``) values of ``--paper``,
    ``--card`` and ``--ink`` in the stylesheet's text: each from the first block that
    opens with that selector."""
    import re

    themes = {}
    for name, selector in (("light", ":root {"), ("dark", "[data-bs-theme=dark] {")):
        start = css.index(selector)
        block = css[start : css.index("}", start)]
        themes[name] = {
            prop: re.search(rf"--{prop}:\s*(#[0-9a-fA-F]{{6}})\s*;", block)[1]
            for prop in ("paper", "card", "ink")
        }
    return themes
