"""Draw the abstract sample pictures that the sample content of CuCon names.

Every profile photo and news image named in ``content/profiles/*.md`` and
``content/news/*.md`` is drawn here, beside its item. The item's slug seeds the
random generator and picks a palette and a motif, so a run gives the same picture
for the same slug every time, without any network access.

The pictures are abstract on purpose: layered shapes, gradients and patterns, never
faces or people, because the sample profiles are fictional and must not look like
portraits of anyone. ``--describe`` logs a plain English description of each picture,
from the same parameters that draw it, as a starting point for the alt text.

Usage (from the repository root)::

    .venv/bin/python tools/sample_photos.py              # (re)create every named image
    .venv/bin/python tools/sample_photos.py --describe   # also log what each one shows
"""

from __future__ import annotations

import argparse
import hashlib
import io
import logging
import math
import random
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFilter

logger = logging.getLogger("sample_photos")

PROFILE_SIZE = (800, 800)
NEWS_SIZE = (1200, 800)
QUALITY = 82
MIN_QUALITY = 60
MAX_BYTES = 120 * 1024
SUPERSAMPLE = 2
"""Shapes are drawn at this multiple of the final size and scaled down, for smooth edges."""

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:\r?\n)?^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)

COLOURS: dict[str, tuple[int, int, int]] = {
    "ochre": (204, 142, 53),
    "mustard yellow": (226, 184, 62),
    "coral": (238, 112, 88),
    "rust red": (176, 72, 44),
    "deep red": (150, 34, 46),
    "rose": (222, 150, 160),
    "plum": (110, 52, 96),
    "lilac": (176, 156, 206),
    "indigo": (52, 56, 122),
    "navy blue": (28, 42, 78),
    "sky blue": (132, 186, 222),
    "teal": (32, 128, 128),
    "mint green": (160, 214, 180),
    "olive green": (120, 128, 58),
    "forest green": (36, 88, 62),
    "sand": (232, 214, 176),
    "cream": (246, 238, 220),
    "pale grey": (214, 216, 218),
    "charcoal": (48, 50, 56),
    "black": (18, 18, 22),
}
"""The named colours the palettes use; the names go into the descriptions."""


@dataclass(frozen=True)
class Palette:
    """A ground gradient (from, to) and three accent colours, all by name."""

    ground: tuple[str, str]
    accents: tuple[str, str, str]


PALETTES = (
    Palette(("navy blue", "indigo"), ("coral", "mustard yellow", "sky blue")),
    Palette(("cream", "sand"), ("teal", "rust red", "navy blue")),
    Palette(("charcoal", "black"), ("ochre", "rose", "mint green")),
    Palette(("sand", "ochre"), ("forest green", "deep red", "cream")),
    Palette(("sky blue", "pale grey"), ("indigo", "coral", "mustard yellow")),
    Palette(("forest green", "teal"), ("mustard yellow", "cream", "coral")),
    Palette(("plum", "indigo"), ("rose", "mint green", "ochre")),
    Palette(("pale grey", "cream"), ("black", "deep red", "teal")),
    Palette(("deep red", "plum"), ("sand", "sky blue", "mustard yellow")),
    Palette(("mint green", "sky blue"), ("navy blue", "coral", "plum")),
    Palette(("olive green", "forest green"), ("sand", "rust red", "lilac")),
    Palette(("lilac", "pale grey"), ("indigo", "ochre", "forest green")),
)


def _rgb(name: str, alpha: int | None = None) -> tuple[int, ...]:
    """The colour of a name, optionally with an alpha value."""
    colour = COLOURS[name]
    return colour if alpha is None else (*colour, alpha)


def seed_of(slug: str) -> int:
    """A stable seed for a slug (Python's ``hash`` changes from run to run; SHA-256 does not).

    >>> seed_of("hannover") == seed_of("hannover")
    True
    """
    return int.from_bytes(hashlib.sha256(slug.encode("utf-8")).digest()[:8], "big")


# --- motifs: each draws on an RGB image and returns what it drew, in words ---------------


Draw = ImageDraw.ImageDraw
Motif = Callable[[Draw, tuple[int, int], random.Random, Palette], str]


def _circles(draw: Draw, size: tuple[int, int], rng: random.Random, palette: Palette) -> str:
    """Overlapping translucent discs of several sizes."""
    width, height = size
    short = min(size)
    for index in range(rng.randint(7, 11)):
        radius = int(short * rng.uniform(0.07, 0.3))
        x, y = rng.uniform(0.1, 0.9) * width, rng.uniform(0.1, 0.9) * height
        colour = palette.accents[index % 3]
        draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius), fill=_rgb(colour, rng.randint(150, 215))
        )
    return "overlapping translucent circles"


def _stripes(draw: Draw, size: tuple[int, int], rng: random.Random, palette: Palette) -> str:
    """Diagonal bands of varying width across the whole picture."""
    width, height = size
    angle = math.radians(rng.choice((30, 40, 50, 60, 120, 135, 150)))
    dx, dy = math.cos(angle), math.sin(angle)
    span = width + height
    position = -span
    index = 0
    while position < span:
        band = span * rng.uniform(0.03, 0.11)
        gap = span * rng.uniform(0.02, 0.08)
        corners = []
        for offset in (position, position + band):
            cx, cy = width / 2 + offset * -dy, height / 2 + offset * dx
            corners.append(((cx - span * dx, cy - span * dy), (cx + span * dx, cy + span * dy)))
        (a, b), (c, d) = corners
        colour = palette.accents[index % 3]
        draw.polygon([a, b, d, c], fill=_rgb(colour, rng.randint(170, 235)))
        position += band + gap
        index += 1
    return "diagonal stripes"


def _waves(draw: Draw, size: tuple[int, int], rng: random.Random, palette: Palette) -> str:
    """Layered wave bands, one behind the other, from the middle to the lower edge."""
    width, height = size
    layers = rng.randint(4, 6)
    for index in range(layers):
        base = height * (0.35 + 0.55 * index / layers)
        amplitude = height * rng.uniform(0.03, 0.08)
        frequency = rng.uniform(1.0, 2.6)
        phase = rng.uniform(0, math.tau)
        points = [
            (x, base + amplitude * math.sin(phase + frequency * math.tau * x / width))
            for x in range(0, width + 8, 8)
        ]
        colour = palette.accents[index % 3]
        draw.polygon([*points, (width, height), (0, height)], fill=_rgb(colour, rng.randint(190, 240)))
    return "layered wave bands"


def _tiles(draw: Draw, size: tuple[int, int], rng: random.Random, palette: Palette) -> str:
    """A grid of tiles, each holding a quarter circle turned one of four ways."""
    width, height = size
    cells = rng.choice((4, 5, 6))
    step = min(size) / cells
    margin = step * 0.08
    for row in range(math.ceil(height / step)):
        for column in range(math.ceil(width / step)):
            left, top = column * step + margin, row * step + margin
            right, bottom = left + step - 2 * margin, top + step - 2 * margin
            if rng.random() < 0.35:
                draw.rectangle((left, top, right, bottom), fill=_rgb(palette.accents[2], 200))
            corner = rng.randrange(4)
            cx = left if corner in (0, 3) else right
            cy = top if corner in (0, 1) else bottom
            reach = right - left
            start = (0, 90, 180, 270)[corner]
            colour = palette.accents[rng.randrange(2)]
            draw.pieslice(
                (cx - reach, cy - reach, cx + reach, cy + reach),
                start,
                start + 90,
                fill=_rgb(colour, 230),
            )
    return "a grid of tiles with quarter circles"


def _arcs(draw: Draw, size: tuple[int, int], rng: random.Random, palette: Palette) -> str:
    """Concentric rings centred below the lower edge, like a rising sun of bands."""
    width, height = size
    cx = width * rng.uniform(0.25, 0.75)
    cy = height * rng.uniform(1.0, 1.15)
    radius = max(size) * 1.0
    index = 0
    while radius > min(size) * 0.06:
        colour = palette.accents[index % 3]
        draw.ellipse(
            (cx - radius, cy - radius, cx + radius, cy + radius), fill=_rgb(colour, rng.randint(200, 245))
        )
        radius *= rng.uniform(0.72, 0.86)
        index += 1
    return "concentric arcs rising from the lower edge"


def _shards(draw: Draw, size: tuple[int, int], rng: random.Random, palette: Palette) -> str:
    """Large overlapping translucent triangles."""
    width, height = size
    for index in range(rng.randint(8, 12)):
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        reach = min(size) * rng.uniform(0.2, 0.5)
        turn = rng.uniform(0, math.tau)
        corners = [
            (
                cx + reach * math.cos(turn + k * math.tau / 3 + rng.uniform(-0.4, 0.4)),
                cy + reach * math.sin(turn + k * math.tau / 3 + rng.uniform(-0.4, 0.4)),
            )
            for k in range(3)
        ]
        draw.polygon(corners, fill=_rgb(palette.accents[index % 3], rng.randint(140, 210)))
    return "overlapping translucent triangles"


MOTIFS: tuple[Motif, ...] = (_circles, _stripes, _waves, _tiles, _arcs, _shards)


# --- pictures -----------------------------------------------------------------------------


def _ground(size: tuple[int, int], palette: Palette, rng: random.Random) -> Image.Image:
    """A linear gradient between the two ground colours, at a slight random tilt."""
    mask = Image.linear_gradient("L").rotate(
        rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC, expand=False
    )
    # Keep only the middle, which the rotation leaves filled: the corners it leaves black.
    mask = mask.crop((40, 40, 216, 216)).resize(size, Image.Resampling.BICUBIC)
    top = Image.new("RGB", size, _rgb(palette.ground[0]))
    bottom = Image.new("RGB", size, _rgb(palette.ground[1]))
    return Image.composite(bottom, top, mask)


def _article(word: str) -> str:
    """The English indefinite article for a word.

    >>> _article("olive green"), _article("sand")
    ('an', 'a')
    """
    return "an" if word[0] in "aeiou" else "a"


def compose(slug: str, size: tuple[int, int]) -> tuple[Image.Image, str]:
    """Draw the picture of a slug at a size; return it and a plain description of it."""
    rng = random.Random(seed_of(slug))
    palette = PALETTES[rng.randrange(len(PALETTES))]
    motif = MOTIFS[rng.randrange(len(MOTIFS))]
    big = (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE)
    image = _ground(big, palette, rng)
    what = motif(ImageDraw.Draw(image, "RGBA"), big, rng, palette)
    image = image.resize(size, Image.Resampling.LANCZOS).filter(ImageFilter.SMOOTH)
    first, second, third = palette.accents
    description = (
        f"Abstract illustration: {what} in {first}, {second} and {third} "
        f"on {_article(palette.ground[0])} {palette.ground[0]} to {palette.ground[1]} gradient"
    )
    return image, description


def encode(image: Image.Image) -> bytes:
    """JPEG bytes without any metadata, at the highest quality that stays within MAX_BYTES."""
    quality = QUALITY
    while True:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
        data = buffer.getvalue()
        if len(data) <= MAX_BYTES or quality <= MIN_QUALITY:
            return data
        quality -= 4


# --- content ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wanted:
    """One image that an item names: where it goes, how big, and which slug seeds it."""

    path: Path
    size: tuple[int, int]
    slug: str


def front_matter(path: Path) -> dict:
    """The YAML front matter of a Markdown content file, or an empty dict."""
    match = FRONT_MATTER.match(path.read_text("utf-8"))
    if not match:
        return {}
    data = yaml.safe_load(match.group(1))
    return data if isinstance(data, dict) else {}


def wanted_images(content: Path) -> Iterator[Wanted]:
    """Every image that a profile or news item (not a translation) names."""
    for folder, key, size in (("profiles", "photo", PROFILE_SIZE), ("news", "image", NEWS_SIZE)):
        for path in sorted((content / folder).glob("*.md")):
            data = front_matter(path)
            if "translation_of" in data:
                continue
            named = data.get(key)
            if isinstance(named, dict) and isinstance(named.get("file"), str):
                yield Wanted(path.parent / named["file"], size, path.stem)


def main(argv: list[str] | None = None) -> int:
    """(Re)create every image the content names; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--content",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "content",
        help="the content folder (default: content/ of this repository)",
    )
    parser.add_argument("--describe", action="store_true", help="log a description of each picture")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s", stream=sys.stderr)

    total = count = 0
    for wanted in wanted_images(args.content):
        image, description = compose(wanted.slug, wanted.size)
        data = encode(image)
        wanted.path.write_bytes(data)
        total += len(data)
        count += 1
        logger.debug("wrote %s (%d bytes)", wanted.path, len(data))
        if args.describe:
            logger.info("%s: %s", wanted.path.name, description)
    logger.info("wrote %d images, %.1f KB in all", count, total / 1024)
    return 0


if __name__ == "__main__":
    sys.exit(main())
