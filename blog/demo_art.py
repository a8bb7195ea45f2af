"""Illustrations for the demo posts: one picture per post, drawn with Pillow, no text.

Each motif is a small flat-colour scene in the post's two colours plus tints of them,
with a soft grain, so the course page looks like a class that chose its own pictures
rather than one template repeated. Deterministic for a given seed.
"""

import math
import random

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1600, 900


def _rgb(hex_colour):
    value = hex_colour.lstrip("#")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _gradient(top, bottom):
    image = Image.new("RGB", (WIDTH, HEIGHT), top)
    draw = ImageDraw.Draw(image)
    for y in range(HEIGHT):
        draw.line([(0, y), (WIDTH, y)], fill=_mix(top, bottom, y / HEIGHT))
    return image


def _grain(image):
    noise = Image.effect_noise((WIDTH, HEIGHT), 18).convert("RGB")
    return Image.blend(image, noise, 0.04)


def congress_hall(draw, dark, light, rng):
    """A lectern under a spotlight before rows of empty seats."""
    draw.polygon([(800, 0), (560, 640), (1040, 640)], fill=_mix(light, (255, 255, 255), 0.45))
    draw.rectangle([0, 640, WIDTH, HEIGHT], fill=_mix(dark, (0, 0, 0), 0.25))
    draw.rectangle([700, 430, 900, 640], fill=dark)
    draw.polygon([(680, 430), (920, 430), (890, 470), (710, 470)], fill=_mix(dark, light, 0.25))
    draw.line([(800, 430), (800, 360)], fill=dark, width=6)
    draw.ellipse([788, 345, 812, 369], fill=dark)
    for row in range(4):
        y = 700 + row * 52
        for x in range(40 + row * 12, WIDTH, 70):
            draw.rounded_rectangle(
                [x, y, x + 50, y + 34], 8, fill=_mix(dark, light, 0.15 + row * 0.07)
            )
    for x in (0, WIDTH - 240):
        draw.rectangle([x, 0, x + 240, 640], fill=_mix(dark, (0, 0, 0), 0.1))
        for fold in range(6):
            draw.line([(x + 20 + fold * 40, 0), (x + 20 + fold * 40, 640)], fill=dark, width=4)


def cornfield(draw, dark, light, rng):
    """Rows of maize stalks under a wide sky."""
    draw.ellipse([1180, 90, 1380, 290], fill=_mix(light, (255, 255, 255), 0.5))
    for row in range(5):
        base = 520 + row * 90
        shade = _mix(dark, light, 0.45 - row * 0.1)
        draw.rectangle([0, base, WIDTH, HEIGHT], fill=_mix(shade, (0, 0, 0), 0.1))
        for x in range(rng.randint(0, 40), WIDTH, 60 + row * 10):
            top = base - 180 - rng.randint(0, 60) + row * 20
            draw.line([(x, base + 20), (x + rng.randint(-10, 10), top)], fill=shade, width=6 + row)
            for leaf in range(3):
                y = base - 40 - leaf * 45
                side = 1 if (leaf + x) % 2 else -1
                draw.line([(x, y), (x + side * 55, y - 30)], fill=shade, width=5 + row)
            draw.ellipse([x - 8, top + 40, x + 14, top + 95], fill=_mix(light, (230, 180, 40), 0.6))


def journals(draw, dark, light, rng):
    """A stack of journals and an open one under a desk lamp."""
    draw.rectangle([0, 640, WIDTH, HEIGHT], fill=_mix(dark, light, 0.3))
    y = 640
    for _ in range(7):
        h = rng.randint(28, 44)
        x = 260 + rng.randint(-30, 30)
        colour = _mix(dark, light, rng.choice((0.0, 0.2, 0.5, 0.7)))
        draw.rectangle([x, y - h, x + 520, y], fill=colour)
        draw.rectangle([x + 30, y - h + 10, x + 130, y - 10], fill=_mix(colour, light, 0.5))
        y -= h + 3
    draw.polygon([(880, 640), (1120, 590), (1360, 640), (1120, 660)], fill=(250, 247, 240))
    draw.line([(1120, 590), (1120, 660)], fill=_mix(dark, light, 0.5), width=3)
    for k in range(6):
        draw.line(
            [(920 + k * 8, 630 - k * 7), (1100, 600 - k * 1)], fill=_mix(light, dark, 0.3), width=2
        )
    draw.line([(1420, 640), (1420, 300), (1250, 220)], fill=dark, width=14)
    draw.polygon([(1180, 190), (1320, 190), (1290, 280), (1210, 280)], fill=dark)
    draw.polygon(
        [(1210, 280), (1290, 280), (1380, 640), (1120, 640)],
        fill=_mix(light, (255, 255, 255), 0.35),
    )


def queue(draw, dark, light, rng):
    """A queue of people along a shop front in winter."""
    draw.rectangle([0, 180, WIDTH, 700], fill=_mix(dark, light, 0.15))
    for x in range(120, WIDTH, 360):
        draw.rectangle([x, 260, x + 260, 560], fill=_mix(light, (255, 255, 255), 0.55))
        draw.rectangle([x + 20, 480, x + 240, 540], fill=_mix(light, dark, 0.35))
    draw.rectangle([0, 700, WIDTH, HEIGHT], fill=(236, 236, 232))
    x = 60
    while x < WIDTH - 60:
        height = rng.randint(230, 300)
        coat = _mix(dark, (20, 20, 20), rng.random() * 0.5)
        draw.rounded_rectangle([x, 760 - height + 60, x + 70, 760], 26, fill=coat)
        draw.ellipse([x + 12, 760 - height, x + 58, 760 - height + 50], fill=coat)
        if rng.random() < 0.5:
            draw.rectangle(
                [x + 8, 760 - height - 8, x + 62, 760 - height + 12], fill=_mix(light, dark, 0.6)
            )
        x += rng.randint(90, 130)
    for _ in range(140):
        fx, fy = rng.randint(0, WIDTH), rng.randint(0, HEIGHT)
        draw.ellipse([fx, fy, fx + 6, fy + 6], fill=(255, 255, 255))


def network(draw, dark, light, rng):
    """Typed sheets passed hand to hand: a network of pages and threads."""
    nodes = [(rng.randint(120, WIDTH - 220), rng.randint(100, HEIGHT - 220)) for _ in range(16)]
    for i, (x, y) in enumerate(nodes):
        for j in rng.sample(range(len(nodes)), 2):
            if j != i:
                draw.line(
                    [(x + 50, y + 65), (nodes[j][0] + 50, nodes[j][1] + 65)],
                    fill=_mix(dark, light, 0.4),
                    width=4,
                )
    for x, y in nodes:
        angle = rng.uniform(-0.2, 0.2)
        corners = [(0, 0), (100, 0), (100, 130), (0, 130)]
        points = [
            (
                x + cx * math.cos(angle) - cy * math.sin(angle),
                y + cx * math.sin(angle) + cy * math.cos(angle),
            )
            for cx, cy in corners
        ]
        draw.polygon(points, fill=(250, 247, 240), outline=dark)
        for line in range(6):
            ly = 20 + line * 17
            lx2 = 80 - rng.randint(0, 30)
            draw.line(
                [(x + 14, y + ly), (x + lx2, y + ly + lx2 * math.sin(angle))],
                fill=_mix(dark, light, 0.55),
                width=4,
            )


def plan_map(draw, dark, light, rng):
    """A planner's map: a river, rail lines and the towns they join."""
    paper = _mix(light, (255, 255, 255), 0.4)
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill=paper)
    for x in range(0, WIDTH, 80):
        draw.line([(x, 0), (x, HEIGHT)], fill=_mix(paper, dark, 0.08), width=2)
    for y in range(0, HEIGHT, 80):
        draw.line([(0, y), (WIDTH, y)], fill=_mix(paper, dark, 0.08), width=2)
    river = [(0, 300)]
    for x in range(100, WIDTH + 100, 100):
        river.append((x, river[-1][1] + rng.randint(-70, 70)))
    draw.line(river, fill=_mix(dark, (80, 140, 200), 0.5), width=26, joint="curve")
    phase = rng.uniform(0, math.pi)
    towns = [(x, 560 + round(160 * math.sin(phase + x / 260))) for x in range(140, WIDTH, 190)]
    draw.line(towns, fill=dark, width=8, joint="curve")
    for x, y in towns[1::3]:
        branch = (x + rng.randint(-120, 120), y - rng.randint(220, 380))
        draw.line([(x, y), branch], fill=_mix(dark, light, 0.3), width=5)
        towns.append(branch)
    for x, y in towns:
        r = rng.choice((14, 18, 26))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=paper, outline=dark, width=7)
    for _ in range(5):
        x, y = rng.randint(100, WIDTH - 200), rng.randint(100, HEIGHT - 200)
        draw.polygon([(x, y + 60), (x + 50, y), (x + 100, y + 60)], fill=_mix(dark, light, 0.6))


def reactor(draw, dark, light, rng):
    """A power station at dusk, a plume rising from its stack."""
    draw.rectangle([0, 690, WIDTH, HEIGHT], fill=_mix(dark, (0, 0, 0), 0.45))
    draw.rectangle([420, 440, 1180, 690], fill=_mix(dark, (0, 0, 0), 0.3))
    draw.rectangle([560, 360, 960, 440], fill=_mix(dark, (0, 0, 0), 0.3))
    for x in range(450, 1160, 70):
        draw.rectangle([x, 480, x + 30, 520], fill=_mix(light, (255, 255, 255), 0.2))
    draw.polygon(
        [(1000, 690), (1020, 170), (1070, 170), (1090, 690)], fill=_mix(dark, (0, 0, 0), 0.2)
    )
    for band in range(4):
        y = 220 + band * 110
        draw.rectangle([1016, y, 1074, y + 30], fill=_mix(light, dark, 0.2))
    cx, cy = 1045, 150
    for k in range(14):
        r = 40 + k * 14
        cx += rng.randint(-25, 45)
        cy -= rng.randint(10, 30)
        draw.ellipse(
            [cx - r, cy - r * 0.7, cx + r, cy + r * 0.7],
            fill=_mix(light, (120, 120, 120), 0.35 + k * 0.03),
        )
    for x in range(0, WIDTH, 110):
        if 380 < x < 1120:
            continue
        h = rng.randint(90, 150)
        draw.polygon([(x, 690), (x + 35, 690 - h), (x + 70, 690)], fill=_mix(dark, (0, 0, 0), 0.5))


def film(draw, dark, light, rng):
    """Film reels on a shelf and a strip of film unrolling."""
    draw.rectangle([0, 560, WIDTH, 600], fill=_mix(dark, (0, 0, 0), 0.3))
    for n, x in enumerate((180, 560, 940)):
        r = 190 if n != 1 else 170
        cy = 560 - r
        draw.ellipse([x - r + r, cy - r, x + r + r, cy + r], fill=_mix(dark, light, 0.1 * n))
        cx = x + r
        draw.ellipse([cx - 40, cy - 40, cx + 40, cy + 40], fill=light)
        for k in range(5):
            a = k * 2 * math.pi / 5 + n
            hx, hy = cx + 110 * math.cos(a), cy + 110 * math.sin(a)
            draw.ellipse([hx - 38, hy - 38, hx + 38, hy + 38], fill=light)
    strip = [(1250, 350), (1330, 500), (1300, 650), (1420, 780), (1600, 830)]
    draw.line(strip, fill=(30, 30, 30), width=110, joint="curve")
    for (x1, y1), (x2, y2) in zip(strip, strip[1:], strict=False):
        for t in range(0, 10):
            x, y = x1 + (x2 - x1) * t / 10, y1 + (y2 - y1) * t / 10
            draw.rectangle([x - 16, y - 16, x + 16, y + 16], fill=_mix(light, (255, 255, 255), 0.3))


MOTIFS = {
    "congress_hall": (congress_hall, "An empty congress hall: a lectern under a spotlight"),
    "cornfield": (cornfield, "Rows of maize stalks under a wide sky"),
    "journals": (journals, "A stack of literary journals beside a desk lamp"),
    "queue": (queue, "A queue of people in winter coats along a shop front"),
    "network": (network, "Typed pages joined by threads, like a network"),
    "plan_map": (plan_map, "A planner's map with a river, rail lines and towns"),
    "reactor": (reactor, "A power station at dusk with a plume rising from its stack"),
    "film": (film, "Film reels on a shelf and a strip of film unrolling"),
}


def illustration(motif, colours, seed):
    """The picture for one demo post, as a Pillow image (1600 x 900, RGB)."""
    dark, light = (_rgb(colour) for colour in colours)
    rng = random.Random(seed)
    image = _gradient(_mix(light, (255, 255, 255), 0.35), light)
    draw = ImageDraw.Draw(image)
    MOTIFS[motif][0](draw, dark, light, rng)
    image = image.filter(ImageFilter.SMOOTH)
    return _grain(image)


def alt_text(motif):
    return MOTIFS[motif][1]


HEADER_WIDTH, HEADER_HEIGHT = 2000, 640
# Where the header's subject stands, in percent: the focal point the demo course sets, so
# a phone's narrow crop keeps the spire in view.
HEADER_FOCUS = (76, 20)


def course_header(colours, seed=1):
    """The demo course's header: a city's roofline at dusk, a lit spire with its star
    right of centre (HEADER_FOCUS), no text. Wide and low, as headers are."""
    dark, light = (_rgb(colour) for colour in colours)
    rng = random.Random(seed)
    width, height = HEADER_WIDTH, HEADER_HEIGHT
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    top, bottom = _mix(dark, (10, 12, 30), 0.55), _mix(light, (255, 236, 200), 0.5)
    for y in range(height):
        draw.line([(0, y), (width, y)], fill=_mix(top, bottom, (y / height) ** 1.4))
    for _ in range(90):  # the first stars
        x, y = rng.randrange(width), rng.randrange(int(height * 0.45))
        draw.point((x, y), fill=_mix(bottom, (255, 255, 255), 0.6))
    far, near = _mix(dark, bottom, 0.45), _mix(dark, (0, 0, 0), 0.35)
    x = 0
    while x < width:  # a far row of blocks
        w, h = rng.randrange(60, 160), rng.randrange(120, 260)
        draw.rectangle([x, height - h, x + w, height], fill=far)
        x += w
    for cx, r in ((360, 70), (520, 52), (640, 44)):  # onion domes on drums
        base = height - 250
        draw.rectangle([cx - r * 0.7, base, cx + r * 0.7, height], fill=near)
        draw.ellipse([cx - r, base - r * 1.6, cx + r, base + r * 0.2], fill=near)
        tip = [(cx - r * 0.35, base - r * 1.4), (cx + r * 0.35, base - r * 1.4)]
        draw.polygon([*tip, (cx, base - r * 2.6)], fill=near)
    sx = width * HEADER_FOCUS[0] / 100  # the spire, where the focal point is
    draw.rectangle([sx - 70, height - 330, sx + 70, height], fill=near)
    draw.rectangle([sx - 46, height - 430, sx + 46, height - 330], fill=near)
    draw.polygon([(sx - 40, height - 430), (sx + 40, height - 430), (sx, height - 560)], fill=near)
    glow = _mix(light, (255, 220, 120), 0.6)
    draw.ellipse([sx - 60, height - 640, sx + 60, height - 520], fill=_mix(top, glow, 0.25))
    star = [
        (sx + 26 * math.sin(k * math.pi / 5) * (1 if k % 2 == 0 else 0.45),
         height - 580 - 26 * math.cos(k * math.pi / 5) * (1 if k % 2 == 0 else 0.45))
        for k in range(10)
    ]  # fmt: skip
    draw.polygon(star, fill=(224, 52, 52))
    for row in range(3):  # lit windows in the spire's base
        for col in range(3):
            wx, wy = sx - 45 + col * 35, height - 300 + row * 70
            draw.rectangle([wx, wy, wx + 14, wy + 26], fill=glow)
    x = 0
    while x < width:  # the near roofs, low, leaving the spire free
        w, h = rng.randrange(90, 220), rng.randrange(40, 120)
        if not sx - 140 < x + w / 2 < sx + 140:
            draw.rectangle([x, height - h, x + w, height], fill=_mix(near, (0, 0, 0), 0.3))
        x += w
    return image.filter(ImageFilter.SMOOTH)
