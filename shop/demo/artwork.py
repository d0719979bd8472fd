"""Product pictures drawn with Pillow, so the demo needs no download and no font.

Each kind of product gets a simple flat illustration (bottle, tea leaves, jar...) on a soft
background; `seed` varies the colours so that products of one kind still look different.
"""

import colorsys
import io
import math
import random

from PIL import Image, ImageDraw

SIZE = 800

BASE_HUES = {
    "bottle": 0.10,
    "tea": 0.30,
    "jar": 0.11,
    "sack": 0.09,
    "leaf": 0.25,
    "meat": 0.03,
    "noodles": 0.14,
    "herb": 0.36,
    "flower": 0.15,
    "weave": 0.97,
    "basket": 0.08,
    "wood": 0.06,
    "orchid": 0.85,
    "house": 0.55,
}


def _rgb(hue, saturation, value):
    r, g, b = colorsys.hsv_to_rgb(hue % 1.0, saturation, value)
    return int(r * 255), int(g * 255), int(b * 255)


def _background(draw, hue):
    top, bottom = _rgb(hue, 0.12, 0.98), _rgb(hue, 0.28, 0.90)
    for y in range(SIZE):
        t = y / SIZE
        colour = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (SIZE, y)], fill=colour)
    draw.ellipse([140, 620, 660, 720], fill=_rgb(hue, 0.30, 0.78))


def _bottle(draw, hue, rnd):
    glass = _rgb(hue + 0.45, 0.25, 0.85)
    draw.rounded_rectangle(
        [290, 300, 510, 680], radius=60, fill=glass, outline=_rgb(hue, 0.5, 0.4), width=6
    )
    draw.rectangle([360, 170, 440, 310], fill=glass, outline=_rgb(hue, 0.5, 0.4), width=6)
    draw.rectangle([350, 140, 450, 190], fill=_rgb(hue + 0.05, 0.7, 0.55))
    draw.rounded_rectangle([315, 420, 485, 560], radius=18, fill=_rgb(hue, 0.55, 0.95))
    _leaf(draw, 400, 490, 45, -0.6, _rgb(0.3, 0.65, 0.55))


def _leaf(draw, cx, cy, size, angle, colour):
    points = []
    for i in range(24):
        t = i / 23 * math.pi
        x = math.cos(t) * size * 1.6
        y = math.sin(t) * size * 0.6 * (1 if i < 12 else 1)
        points.append((x, y))
    points += [(x, -y) for x, y in reversed(points)]
    rotated = [
        (
            cx + x * math.cos(angle) - y * math.sin(angle),
            cy + x * math.sin(angle) + y * math.cos(angle),
        )
        for x, y in points
    ]
    draw.polygon(rotated, fill=colour)


def _tea(draw, hue, rnd):
    draw.pieslice([220, 360, 580, 720], 180, 360, fill=_rgb(0.08, 0.45, 0.85))
    draw.ellipse([220, 500, 580, 560], fill=_rgb(0.12, 0.7, 0.75))
    for i in range(5):
        _leaf(
            draw,
            300 + i * 50,
            330 - (i % 2) * 60,
            55,
            -0.9 + i * 0.4,
            _rgb(0.30 + rnd.random() * 0.05, 0.7, 0.55),
        )


def _jar(draw, hue, rnd):
    draw.rounded_rectangle([270, 330, 530, 680], radius=70, fill=_rgb(0.10, 0.85, 0.92))
    draw.rectangle([300, 270, 500, 340], fill=_rgb(0.07, 0.6, 0.5))
    for i in range(3):
        x = 330 + i * 70
        draw.regular_polygon((x, 470, 34), 6, fill=_rgb(0.12, 0.55, 1.0))


def _sack(draw, hue, rnd):
    draw.polygon([(260, 680), (300, 330), (500, 330), (540, 680)], fill=_rgb(0.10, 0.25, 0.92))
    draw.polygon([(300, 330), (340, 250), (460, 250), (500, 330)], fill=_rgb(0.10, 0.3, 0.8))
    draw.line([(320, 300), (480, 300)], fill=_rgb(0.05, 0.6, 0.5), width=12)
    for _ in range(40):
        x, y = 300 + rnd.random() * 200, 420 + rnd.random() * 200
        draw.ellipse([x, y, x + 14, y + 9], fill=_rgb(hue, 0.25, 0.98))


def _leaf_parcel(draw, hue, rnd):
    draw.rounded_rectangle([240, 340, 560, 660], radius=24, fill=_rgb(0.30, 0.6, 0.5))
    draw.line([(240, 500), (560, 500)], fill=_rgb(0.1, 0.3, 0.9), width=14)
    draw.line([(400, 340), (400, 660)], fill=_rgb(0.1, 0.3, 0.9), width=14)
    _leaf(draw, 400, 300, 70, 0.2, _rgb(0.28, 0.7, 0.6))


def _meat(draw, hue, rnd):
    for i in range(3):
        y = 360 + i * 90
        draw.rounded_rectangle(
            [250, y, 550, y + 70], radius=30, fill=_rgb(0.02, 0.6, 0.55 + i * 0.08)
        )
        draw.line([(270, y + 30), (530, y + 30)], fill=_rgb(0.05, 0.3, 0.95), width=6)
    draw.line([(230, 330), (570, 330)], fill=_rgb(0.08, 0.5, 0.35), width=10)


def _noodles(draw, hue, rnd):
    draw.ellipse([230, 380, 570, 690], fill=_rgb(0.12, 0.15, 0.97))
    for i in range(16):
        y = 420 + i * 15
        draw.arc([250, y - 40, 550, y + 40], 200, 340, fill=_rgb(0.12, 0.35, 0.7), width=4)
    draw.rectangle([250, 520, 550, 560], fill=_rgb(hue, 0.6, 0.7))


def _herb(draw, hue, rnd):
    for i in range(7):
        angle = -1.3 + i * 0.42
        _leaf(
            draw,
            400 + math.cos(angle - 1.57) * 120,
            470 + math.sin(angle - 1.57) * 120,
            60,
            angle,
            _rgb(0.33 + i * 0.01, 0.65, 0.45 + i * 0.04),
        )
    draw.line([(400, 470), (400, 680)], fill=_rgb(0.3, 0.6, 0.35), width=10)


def _flower(draw, hue, rnd):
    for i in range(8):
        angle = i * math.pi / 4
        x, y = 400 + math.cos(angle) * 110, 460 + math.sin(angle) * 110
        draw.ellipse([x - 75, y - 75, x + 75, y + 75], fill=_rgb(0.14, 0.75, 0.98))
    draw.ellipse([340, 400, 460, 520], fill=_rgb(0.08, 0.8, 0.8))


def _weave(draw, hue, rnd):
    draw.rectangle([200, 260, 600, 680], fill=_rgb(hue, 0.7, 0.55))
    colours = [_rgb(0.12, 0.8, 0.95), _rgb(0.55, 0.5, 0.85), _rgb(0.0, 0.0, 0.97)]
    for row in range(6):
        for col in range(5):
            cx, cy = 240 + col * 80, 295 + row * 70
            draw.regular_polygon((cx, cy, 28), 4, fill=colours[(row + col) % 3])


def _basket(draw, hue, rnd):
    draw.pieslice([220, 300, 580, 700], 0, 180, fill=_rgb(0.09, 0.55, 0.75))
    for i in range(8):
        draw.line([(240 + i * 45, 500), (260 + i * 40, 690)], fill=_rgb(0.08, 0.6, 0.45), width=6)
    for i in range(4):
        draw.arc(
            [230 + i * 10, 420 + i * 60, 570 - i * 10, 600 + i * 30],
            0,
            180,
            fill=_rgb(0.08, 0.6, 0.45),
            width=6,
        )
    draw.arc([300, 300, 500, 560], 180, 360, fill=_rgb(0.08, 0.6, 0.45), width=14)


def _wood(draw, hue, rnd):
    for i in range(6):
        x = 280 + i * 45
        draw.polygon(
            [(x, 240), (x + 22, 240), (x + 16, 690), (x + 6, 690)],
            fill=_rgb(0.07, 0.55, 0.45 + i * 0.05),
        )


def _orchid(draw, hue, rnd):
    draw.rectangle([330, 560, 470, 690], fill=_rgb(0.05, 0.5, 0.6))
    draw.line([(400, 560), (400, 330)], fill=_rgb(0.3, 0.6, 0.4), width=8)
    _leaf(draw, 330, 560, 70, 2.7, _rgb(0.32, 0.7, 0.5))
    _leaf(draw, 470, 560, 70, 0.45, _rgb(0.32, 0.7, 0.5))
    for i, (x, y) in enumerate([(400, 300), (470, 370), (335, 380)]):
        petal = _rgb(hue + i * 0.03, 0.55, 0.95)
        for k in range(5):
            angle = k * 2 * math.pi / 5
            draw.ellipse(
                [
                    x + math.cos(angle) * 30 - 28,
                    y + math.sin(angle) * 30 - 28,
                    x + math.cos(angle) * 30 + 28,
                    y + math.sin(angle) * 30 + 28,
                ],
                fill=petal,
            )
        draw.ellipse([x - 16, y - 16, x + 16, y + 16], fill=_rgb(0.13, 0.8, 0.95))


def _house(draw, hue, rnd):
    draw.polygon([(200, 420), (400, 250), (600, 420)], fill=_rgb(0.07, 0.6, 0.5))
    draw.rectangle([250, 420, 550, 560], fill=_rgb(0.08, 0.45, 0.7))
    for x in (270, 360, 440, 520):
        draw.rectangle([x, 560, x + 16, 680], fill=_rgb(0.07, 0.6, 0.4))
    draw.rectangle([370, 460, 430, 560], fill=_rgb(0.07, 0.6, 0.35))
    draw.ellipse([560, 150, 660, 250], fill=_rgb(0.13, 0.7, 1.0))


PAINTERS = {
    "bottle": _bottle,
    "tea": _tea,
    "jar": _jar,
    "sack": _sack,
    "leaf": _leaf_parcel,
    "meat": _meat,
    "noodles": _noodles,
    "herb": _herb,
    "flower": _flower,
    "weave": _weave,
    "basket": _basket,
    "wood": _wood,
    "orchid": _orchid,
    "house": _house,
}


def product_picture(kind: str, seed: int) -> bytes:
    """A JPEG of SIZE×SIZE pixels for a product of this kind."""
    rnd = random.Random(seed)  # noqa: S311 (colours, not secrets)
    hue = BASE_HUES.get(kind, 0.3) + (rnd.random() - 0.5) * 0.08
    image = Image.new("RGB", (SIZE, SIZE))
    draw = ImageDraw.Draw(image)
    _background(draw, hue)
    PAINTERS.get(kind, _herb)(draw, hue, rnd)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def certificate_scan(number: str, authority: str, stars: int | None) -> bytes:
    """A one-page PDF standing in for the scan of an OCOP recognition decision."""
    page = Image.new("RGB", (620, 877), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((20, 20, 600, 857), outline=(180, 30, 30), width=6)
    draw.text((60, 80), authority.upper(), fill="black")
    draw.text((60, 120), f"Quyet dinh so {number}", fill="black")
    draw.text((60, 200), "Cong nhan san pham OCOP", fill=(180, 30, 30))
    if stars:
        for index in range(stars):
            x = 60 + index * 50
            draw.polygon(
                [
                    (x + 20, 260),
                    (x + 26, 280),
                    (x + 40, 280),
                    (x + 29, 290),
                    (x + 33, 306),
                    (x + 20, 296),
                    (x + 7, 306),
                    (x + 11, 290),
                    (x, 280),
                    (x + 14, 280),
                ],
                fill=(230, 170, 20),
            )
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=72)
    return buffer.getvalue()
