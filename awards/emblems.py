"""Drawn award emblems: simple line drawings on a 48 × 48 grid, made for Commonplace.

Each is the inside of an <svg viewBox="0 0 48 48">, drawn in currentColor, so an emblem
takes its award's colour (CSS) and looks the same on every system, which emoji don't.
`Award.symbol` stores the key; templates draw it with awards/_emblem.html.
"""

from django.utils.safestring import mark_safe

# Lines unless a shape says otherwise; filled shapes use fill="currentColor".
LINE = (
    'fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round"'
    ' stroke-linejoin="round"'
)


def _leaves(side):
    """The leaves of one branch of the laurel (side -1: left, 1: right), on its stem."""
    leaves = []
    for x, y, angle in [(9, 36, -60), (6.5, 28, -35), (6.5, 20, -15), (8, 12, 5),
                        (16, 31, 40), (14.5, 23, 30), (15, 15, 25)]:  # fmt: skip
        cx, turn = (x, angle) if side < 0 else (48 - x, -angle)
        leaves.append(
            f'<ellipse cx="{cx}" cy="{y}" rx="2.3" ry="4.6" transform="rotate({turn} {cx} {y})"'
            ' fill="currentColor"/>'
        )
    return "".join(leaves)


EMBLEMS = {
    "laurel": (
        "Laurel",
        f'<path d="M21 43 C13 38 9 28 11 8 M27 43 C35 38 39 28 37 8" {LINE}/>'
        + _leaves(-1)
        + _leaves(1),
    ),
    "star": (
        "Star",
        '<polygon points="24 6 28.7 18.5 42.1 19.1 31.6 27.5 35.2 40.4 24 33 12.8 40.4 16.4 27.5'
        f' 5.9 19.1 19.3 18.5" {LINE}/><circle cx="24" cy="25" r="3" fill="currentColor"/>',
    ),
    "quill": (
        "Quill",
        f'<path d="M39 6 C25 9 15 20 12 36 L14 38 C26 33 35 22 39 6 Z" {LINE}/>'
        f'<path d="M14 38 L36 10 M12 36 L7 42" {LINE}/>',
    ),
    "book": (
        "Book",
        f'<path d="M24 15 C18 10 11 10 6 12 V38 C11 36 18 36 24 40 C30 36 37 36 42 38 V12'
        f' C37 10 30 10 24 15 Z M24 15 V40" {LINE}/>'
        f'<path d="M11 18 C14 17 17 17 20 19 M11 24 C14 23 17 23 20 25 M28 19 C31 17 34 17 37 18'
        f' M28 25 C31 23 34 23 37 24" {LINE}/>',
    ),
    "lamp": (
        "Lamp of learning",
        f'<path d="M7 29 C7 24 19 22 27 26 L41 21 C39 28 34 32 26 33 H13 C9 33 7 31 7 29 Z"'
        f' {LINE}/><path d="M14 33 L11 40 H31 L27 33" {LINE}/>'
        '<path d="M31 19 C28.5 15 31 10 34 6 C36.5 10 38 14 35 18.5 C33.8 19.6 32 19.8 31 19 Z"'
        ' fill="currentColor"/>',
    ),
    "medal": (
        "Medal",
        f'<path d="M15 5 L21 20 M33 5 L27 20 M20 5 H28" {LINE}/>'
        f'<circle cx="24" cy="31" r="11" {LINE}/>'
        '<polygon points="24 24.5 25.9 29.2 30.8 29.4 26.9 32.4 28.3 37.2 24 34.4 19.7 37.2'
        ' 21.1 32.4 17.2 29.4 22.1 29.2" fill="currentColor"/>',
    ),
    "ribbon": (
        "Rosette",
        f'<circle cx="24" cy="19" r="12" {LINE}/>'
        '<circle cx="24" cy="19" r="6" fill="currentColor"/>'
        f'<path d="M17 28.5 L12 43 L17.5 40 L20.5 45 L24 31 L27.5 45 L30.5 40 L36 43 L31 28.5"'
        f" {LINE}/>",
    ),
    "torch": (
        "Torch",
        f'<path d="M15 21 H33 L30 26 H18 Z M19 26 L21.5 44 H26.5 L29 26" {LINE}/>'
        '<path d="M24 3 C31 9 33 13.5 29.5 18.5 H18.5 C15 13.5 18 8.5 22 6 C22 9 23 10.5 24.5 11'
        ' C24 8 23.5 6 24 3 Z" fill="currentColor"/>',
    ),
    "bulb": (
        "Bright idea",
        f'<path d="M18 33 C18 28 12 25 12 18 C12 11 17.5 6 24 6 C30.5 6 36 11 36 18 C36 25 30'
        f' 28 30 33 Z M19 37 H29 M21 41 H27" {LINE}/>'
        f'<path d="M21 33 V24 L24 27 L27 24 V33" {LINE}/>',
    ),
    "magnifier": (
        "Close reading",
        f'<circle cx="20" cy="20" r="12" {LINE}/>'
        '<path d="M29 29 L41 41" fill="none" stroke="currentColor" stroke-width="5"'
        ' stroke-linecap="round"/>'
        f'<path d="M14 17 C15 14 17 12.5 20 12" {LINE}/>',
    ),
}

CHOICES = [(key, name) for key, (name, _) in EMBLEMS.items()]


def drawing(key):
    """The inside of the emblem's <svg> (our own markup, so safe), or "" if unknown."""
    return mark_safe(EMBLEMS[key][1]) if key in EMBLEMS else ""  # noqa: S308
