"""Pictures for the demo, drawn with Pillow: flat illustrations in the site's colours, so cards and
pages show what a picture looks like without any photograph in the repository.

``drawn(scene, *, alt, seed, initials="")`` stores one through the same path as an upload (checked,
re-encoded, renditions made) and returns the Picture. Scenes: ``"houses"`` (a row of houses, a
neighbourhood), ``"park"`` (trees and a bench), ``"table"`` (a long table laid for many),
``"bicycle"``, ``"logo"`` (the initials on a round badge).
"""
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from .images import PictureInput, picture_apply, prepare

SIZE = (1280, 720)
SKY, GREEN, DARK, WARM, SUN, PAPER = "#dcebe5", "#0b5d4b", "#07392e", "#c8642a", "#ffbf47", "#f6f5f1"
HOUSE_COLOURS = ["#e8d9c4", "#c9dccf", "#f0c9a8", "#d7d0e6", "#e6e1d3", "#bcd4dd"]


def _houses(draw, chance):
    width, height = draw.im.size
    draw.ellipse((width - 260, 70, width - 140, 190), fill=SUN)
    x = -40
    while x < width:
        w, h = chance.randint(150, 230), chance.randint(230, 380)
        top = height - 120 - h
        draw.rectangle((x, top, x + w, height - 120), fill=chance.choice(HOUSE_COLOURS), outline=DARK, width=3)
        draw.polygon([(x - 12, top), (x + w // 2, top - chance.randint(60, 110)), (x + w + 12, top)], fill=WARM,
                     outline=DARK)
        for row in range(top + 30, height - 170, 70):
            for column in range(x + 25, x + w - 40, 55):
                draw.rectangle((column, row, column + 30, row + 38), fill=SUN if chance.random() < 0.35 else PAPER,
                               outline=DARK, width=2)
        x += w + chance.randint(8, 30)
    draw.rectangle((0, height - 120, width, height), fill=GREEN)


def _park(draw, chance):
    width, height = draw.im.size
    draw.ellipse((120, 80, 230, 190), fill=SUN)
    draw.rectangle((0, height - 220, width, height), fill="#8fbf8a")
    for _ in range(6):
        x = chance.randint(40, width - 120)
        draw.rectangle((x + 45, height - 330, x + 65, height - 200), fill="#6b4a2b")
        draw.ellipse((x - 20, height - 470, x + 130, height - 300), fill=GREEN)
    draw.rectangle((470, height - 190, 810, height - 165), fill=WARM, outline=DARK, width=3)
    draw.rectangle((470, height - 250, 810, height - 225), fill=WARM, outline=DARK, width=3)
    for leg in (490, 780):
        draw.rectangle((leg, height - 165, leg + 14, height - 110), fill=DARK)


def _table(draw, chance):
    width, height = draw.im.size
    draw.rectangle((0, 0, width, height), fill="#f3e3cf")
    draw.rectangle((140, 330, width - 140, 420), fill=WARM, outline=DARK, width=4)
    for x in range(200, width - 200, 130):
        draw.ellipse((x, 345, x + 80, 395), fill=PAPER, outline=DARK, width=3)
        draw.ellipse((x + 10, 220, x + 70, 280), fill=chance.choice(HOUSE_COLOURS), outline=DARK, width=3)
        draw.rectangle((x + 5, 280, x + 75, 330), fill=chance.choice(HOUSE_COLOURS), outline=DARK, width=3)
    draw.rectangle((180, 420, 200, 560), fill=DARK)
    draw.rectangle((width - 200, 420, width - 180, 560), fill=DARK)


def _bicycle(draw, chance):
    width, height = draw.im.size
    draw.rectangle((0, height - 160, width, height), fill="#c9d3cf")
    for centre in (430, 850):
        draw.ellipse((centre - 150, 300, centre + 150, 600), outline=DARK, width=16)
        draw.ellipse((centre - 18, 432, centre + 18, 468), fill=DARK)
    frame = [(430, 450), (600, 450), (760, 300), (560, 300), (430, 450)]
    draw.line(frame, fill=GREEN, width=18, joint="curve")
    draw.line([(600, 450), (560, 300), (540, 250)], fill=GREEN, width=18)
    draw.line([(760, 300), (850, 450)], fill=GREEN, width=18)
    draw.line([(760, 300), (750, 240), (810, 230)], fill=DARK, width=12)
    draw.rectangle((500, 235, 590, 255), fill=DARK)


def _logo(draw, chance, initials):
    width, height = draw.im.size
    draw.rectangle((0, 0, width, height), fill=PAPER)
    side = min(width, height) - 80
    left, top = (width - side) // 2, (height - side) // 2
    draw.ellipse((left, top, left + side, top + side), fill=GREEN)
    font = ImageFont.load_default(size=side // 3)
    draw.text((width / 2, height / 2), initials, fill="#ffffff", font=font, anchor="mm")


SCENES = {"houses": _houses, "park": _park, "table": _table, "bicycle": _bicycle}


def drawn(scene, *, alt, seed, initials=""):
    chance = random.Random(seed)
    size = (640, 640) if scene == "logo" else SIZE
    image = Image.new("RGB", size, SKY)
    draw = ImageDraw.Draw(image)
    if scene == "logo":
        _logo(draw, chance, initials)
    else:
        SCENES[scene](draw, chance)
    data = io.BytesIO()
    image.save(data, format="PNG")
    upload = SimpleUploadedFile(f"{scene}.png", data.getvalue(), content_type="image/png")
    return picture_apply(current=None, change=PictureInput(prepared=prepare(upload), alt=alt), user=None)
