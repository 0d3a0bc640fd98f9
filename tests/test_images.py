"""Images: hostile files are refused, outputs are clean, upright, sRGB, responsive and cached."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import struct
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageCms
from support import build_in_process, output_of, run_cucon

from cucon import images
from cucon.checks import load_site
from cucon.content import MAX_IMAGE_BYTES
from cucon.images import (
    CARD_SIZE,
    ImageConfig,
    ImageRefused,
    images_without_alt,
    inspect,
    publish,
    read_stats,
    responsive,
    settable,
    share_card,
)
from cucon.views import build_listings

ANNA = "content/profiles/anna-kowalska.md"
ANNA_PHOTO = "content/profiles/anna-kowalska.jpg"
NEWS = "content/news/concert.md"
BUILD_TIME = "2026-11-27T12:00:00+00:00"

# --- making test pictures -------------------------------------------------------------------


def jpeg(size=(64, 48), colour=(40, 90, 200), mode="RGB", **save) -> bytes:
    """A JPEG of one colour, saved with any extra options (exif, comment, icc_profile …)."""
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, "JPEG", quality=95, **save)
    return buffer.getvalue()


def encoded(image: Image.Image, fmt: str, **save) -> bytes:
    """An image's bytes in a format."""
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


def huge_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of any size, built row by row: tens of kilobytes, never the pixels in memory."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def animated(fmt: str) -> bytes:
    """A two-frame animation in a format that allows one."""
    frames = [Image.new("RGB", (16, 16), c) for c in ((255, 0, 0), (0, 0, 255))]
    return encoded(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100)


def secret_exif() -> Image.Exif:
    """EXIF with everything a photo must not publish: GPS, camera serial number, author, comment."""
    exif = Image.Exif()
    exif[0x013B] = "Jan Kowalski"  # Artist
    exif[0x8298] = "(c) Jan Kowalski"  # Copyright
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0112] = 1  # Orientation
    ifd = exif.get_ifd(0x8769)  # Exif IFD
    ifd[0xA431] = "SN-4242424242"  # BodySerialNumber
    ifd[0x9286] = b"ASCII\x00\x00\x00secret user comment"  # UserComment
    gps = exif.get_ifd(0x8825)  # GPS IFD
    gps[1], gps[2] = "N", (52.0, 22.0, 30.0)
    gps[3], gps[4] = "E", (9.0, 44.0, 19.0)
    return exif


SECRETS = (
    b"Jan Kowalski",
    b"SN-4242424242",
    b"secret user comment",
    b"secret comment",
    b"SpyCam",
    b"xmp-secret",
)
"""Byte strings of the metadata above; none may appear in any output file."""

# --- a real site to run the real pipeline on --------------------------------------------------


@pytest.fixture
def site(fixture_site: Path) -> Path:
    """The fixture site, whose photos a test replaces with the file it is about."""
    return fixture_site


def add_news_image(site: Path, data: bytes, name: str = "concert.jpg") -> None:
    """Give the fixture's news item an image."""
    (site / "content/news" / name).write_bytes(data)
    path = site / NEWS
    text = path.read_text("utf-8")
    path.write_text(
        text.replace("lang: de\n", f"image:\n  file: {name}\n  alt: Ein Konzertsaal\nlang: de\n", 1), "utf-8"
    )


def set_focus(site: Path, x: float, y: float) -> None:
    """Give Anna Kowalska's photo a focal point."""
    path = site / ANNA
    text = path.read_text("utf-8")
    path.write_text(
        text.replace("  alt: Ein blaues", f"  focus: {{x: {x}, y: {y}}}\n  alt: Ein blaues", 1), "utf-8"
    )


def run_pipeline(site: Path, config: ImageConfig | None = None) -> tuple[Path, images.Stats, dict]:
    """Validate the site, then publish its images: (output folder, stats, entries by (type, slug))."""
    loaded = load_site(site / "content")
    assert loaded.problems == [], [p.format_text() for p in loaded.problems]
    listings = build_listings(loaded, BUILD_TIME)
    output = site / "output"
    stats = publish(listings.entries.values(), output, site / "cache", config)
    return output, stats, listings.entries


def outputs_of(output: Path, section: str, slug: str) -> list[Path]:
    """Every file written for one item's image, the copy under its own file name included."""
    found = sorted((output / "media" / section).glob(f"{slug}*"))
    assert found, f"no output for {section}/{slug}"
    return found


# --- validation ---------------------------------------------------------------------------------

REFUSED: list[tuple[str, Callable[[], bytes], str]] = [
    ("svg", lambda: b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "SVG"),
    ("svg-no-prolog", lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "SVG"),
    ("eps", lambda: b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n", "EPS"),
    ("gif", lambda: encoded(Image.new("P", (8, 8)), "GIF"), "GIF"),
    ("html", lambda: b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "HTML page"),
    ("zip", lambda: zip_bytes(), "ZIP archive"),
    ("text", lambda: b"just some words", "text file"),
    ("bomb-20000x20000", lambda: huge_png(20000, 20000), "too many pixels (400 megapixels)"),
    ("over-40-megapixels", lambda: huge_png(9000, 5000), "too many pixels (45 megapixels)"),
    ("over-10-mb", lambda: jpeg() + b"\x00" * MAX_IMAGE_BYTES, "at most 10 MB allowed"),
    ("animated-png", lambda: animated("PNG"), "is an animation"),
    ("animated-webp", lambda: animated("WEBP"), "is an animation"),
    ("truncated-jpeg", lambda: jpeg()[:20], "is a damaged or incomplete JPEG"),
    (
        "truncated-png",
        lambda: encoded(Image.new("RGB", (8, 8)), "PNG")[:30],
        "is a damaged or incomplete PNG",
    ),
    ("empty", lambda: b"", "is empty"),
]


def zip_bytes() -> bytes:
    """A small ZIP archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.txt", "not a photo")
    return buffer.getvalue()


@pytest.mark.parametrize(("case", "make", "reason"), REFUSED, ids=[c[0] for c in REFUSED])
def test_refused_files_name_the_file_and_the_reason(tmp_path: Path, case: str, make, reason: str):
    """Each hostile or unsuitable file renamed to .jpg is refused by its header, in plain words."""
    path = tmp_path / f"{case}.jpg"
    path.write_bytes(make())
    started = time.perf_counter()
    with pytest.raises(ImageRefused) as refused:
        inspect(path)
    assert time.perf_counter() - started < 2, "the header check must not decode the picture"
    message = str(refused.value)
    assert f"the image '{case}.jpg'" in message
    assert reason in message


ACCEPTED = [
    ("jpeg", lambda: jpeg((30, 20)), "JPEG", (30, 20)),
    ("png", lambda: encoded(Image.new("RGBA", (30, 20)), "PNG"), "PNG", (30, 20)),
    ("webp", lambda: encoded(Image.new("RGB", (30, 20)), "WEBP"), "WEBP", (30, 20)),
    ("png-named-jpg", lambda: encoded(Image.new("L", (30, 20)), "PNG"), "PNG", (30, 20)),
    ("rotated", lambda: jpeg((30, 20), exif=orientation_exif(6)), "JPEG", (20, 30)),
    ("exactly-40-megapixels", lambda: huge_png(8000, 5000), "PNG", (8000, 5000)),
]


def orientation_exif(value: int) -> Image.Exif:
    """EXIF that says only how the camera was held."""
    exif = Image.Exif()
    exif[0x0112] = value
    return exif


@pytest.mark.parametrize(("case", "make", "fmt", "size"), ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_accepted_files_report_format_and_upright_size(tmp_path: Path, case, make, fmt, size):
    """JPEG, PNG and WebP pass, whatever their suffix; the size is the upright one."""
    path = tmp_path / f"{case}.jpg"
    path.write_bytes(make())
    info = inspect(path)
    assert (info.format, (info.width, info.height)) == (fmt, size)


def test_max_image_pixels_matches_the_cap():
    """Pillow's own bomb limit is the 40-megapixel cap, and the byte caps agree."""
    assert Image.MAX_IMAGE_PIXELS == images.MAX_PIXELS == 40_000_000
    assert images.MAX_BYTES == MAX_IMAGE_BYTES


def test_check_reports_a_renamed_svg_at_the_photo_file_line(site: Path):
    """`cucon check` reports an SVG saved as a profile photo as path:line: photo.file: message."""
    (site / ANNA_PHOTO).write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>')
    line = next(
        number
        for number, text in enumerate((site / ANNA).read_text("utf-8").splitlines(), 1)
        if text.strip() == "file: anna-kowalska.jpg"
    )
    result = run_cucon("check", cwd=site)
    assert result.returncode == 1, output_of(result)
    assert (
        f"{ANNA}:{line}: photo.file: the image 'anna-kowalska.jpg' is an SVG drawing, not a photo; "
        "CuCon accepts JPEG, PNG and WebP only"
    ) in result.stdout


def test_build_refuses_a_bomb_before_touching_output(site: Path):
    """A decompression bomb as a photo stops the build with the check's message; no output is written."""
    (site / ANNA_PHOTO).write_bytes(huge_png(20000, 20000))
    result = build_in_process(site, CACHE_PATH=str(site / "cache"))
    assert result.returncode != 0
    assert "photo.file: the image 'anna-kowalska.jpg' has too many pixels" in result.log
    assert not (site / "output").exists()


# --- cleaning -----------------------------------------------------------------------------------


def test_no_metadata_reaches_any_output(site: Path):
    """GPS, serial number, author, comments, XMP and ICC of a photo are in none of its outputs."""
    photo = Image.new("RGB", (1600, 1200), (200, 120, 40))
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encoded(
        photo,
        "JPEG",
        exif=secret_exif(),
        comment=b"secret comment",
        icc_profile=srgb,
        xmp=b"<x:xmpmeta><dc:creator>xmp-secret</dc:creator></x:xmpmeta>",
    )
    with Image.open(io.BytesIO(data)) as check:  # the source really carries them
        assert check.getexif().get_ifd(0x8825)
        assert check.info.get("comment")
        assert check.info.get("xmp")
    (site / ANNA_PHOTO).write_bytes(data)
    add_news_image(site, data)
    output, _, _ = run_pipeline(site)
    files = outputs_of(output, "profiles", "anna-kowalska") + outputs_of(output, "news", "concert")
    assert {p.suffix for p in files} == {".webp", ".jpg"}
    assert len(files) >= 8
    for path in files:
        raw = path.read_bytes()
        for secret in SECRETS:
            assert secret not in raw, f"{secret!r} in {path.name}"
        assert b"Exif\x00\x00" not in raw, path.name
        with Image.open(path) as image:
            exif = image.getexif()
            assert not exif.get_ifd(0x8825), f"GPS in {path.name}"
            assert not exif.get_ifd(0x8769), f"Exif IFD (serial number) in {path.name}"
            assert 0x013B not in exif, f"artist in {path.name}"
            assert len(exif) == 0, f"EXIF in {path.name}: {dict(exif)}"
            for key in ("icc_profile", "comment", "xmp", "exif"):
                assert key not in image.info, f"{key} in {path.name}"


def test_clean_upload_strips_metadata_before_it_reaches_git():
    """The submission bot's cleaned upload is an upright JPEG without any of the secrets."""
    data = encoded(quadrants((400, 200)), "JPEG", exif=secret_exif(), comment=b"secret comment")
    cleaned = images.clean_upload(data + zip_bytes(), "upload.jpg", max_side=300)
    for secret in (*SECRETS, b"PK\x03\x04"):
        assert secret not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert (image.format, image.size, len(image.getexif())) == ("JPEG", (300, 150), 0)
    with pytest.raises(ImageRefused, match="SVG"):
        images.clean_upload(b"<svg/>", "upload.jpg")


def quadrants(size: tuple[int, int]) -> Image.Image:
    """A picture whose top-left quadrant is red, the rest blue, to see where a corner lands."""
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1] // 2))
    return image


def close(colour, expected, tolerance=24) -> bool:
    """Whether two RGB colours are within a tolerance per channel."""
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


ROTATIONS = [
    # orientation, where the stored top-left corner is after turning upright (x, y as fractions)
    (1, (0.1, 0.1)),
    (3, (0.9, 0.9)),
    (6, (0.9, 0.1)),
    (8, (0.1, 0.9)),
]


@pytest.mark.parametrize(("orientation", "corner"), ROTATIONS, ids=[f"orientation-{o}" for o, _ in ROTATIONS])
def test_exif_orientation_is_applied(site: Path, orientation: int, corner: tuple[float, float]):
    """A phone photo taken sideways comes out upright: sizes swap and the red corner lands right."""
    add_news_image(
        site, encoded(quadrants((800, 400)), "JPEG", quality=95, exif=orientation_exif(orientation))
    )
    output, _, _ = run_pipeline(site)
    upright = (400, 800) if orientation in (6, 8) else (800, 400)
    for path in outputs_of(output, "news", "concert"):
        with Image.open(path) as image:
            width, height = image.size
            assert width / height == pytest.approx(upright[0] / upright[1], rel=0.02), path.name
            image = image.convert("RGB")
            x, y = round(corner[0] * (width - 1)), round(corner[1] * (height - 1))
            assert close(image.getpixel((x, y)), (255, 0, 0), 40), f"{path.name} at {(x, y)}"
            opposite = (width - 1 - x, height - 1 - y)
            assert close(image.getpixel(opposite), (0, 0, 255), 40), f"{path.name} at {opposite}"
            assert "exif" not in image.info


def test_appended_zip_is_not_published(site: Path):
    """A JPEG with a ZIP archive appended is accepted, but no output carries the archive."""
    (site / ANNA_PHOTO).write_bytes(jpeg((500, 500)) + zip_bytes())
    assert b"PK\x03\x04" in (site / ANNA_PHOTO).read_bytes()
    output, _, _ = run_pipeline(site)
    for path in outputs_of(output, "profiles", "anna-kowalska"):
        assert b"PK\x03\x04" not in path.read_bytes(), path.name
        assert b"payload.txt" not in path.read_bytes(), path.name


COLOURS: list[tuple[str, Callable[[], bytes], tuple[int, int, int]]] = [
    ("cmyk-jpeg", lambda: jpeg((300, 300), (0, 255, 255, 0), mode="CMYK"), (255, 0, 0)),
    ("cmyk-jpeg-blue", lambda: jpeg((300, 300), (255, 255, 0, 0), mode="CMYK"), (0, 0, 255)),
    (
        "transparent-png",
        lambda: encoded(Image.new("RGBA", (300, 300), (255, 0, 0, 0)), "PNG"),
        (255, 255, 255),
    ),
    (
        "palette-png",
        lambda: encoded(Image.new("RGB", (300, 300), (0, 128, 0)).convert("P"), "PNG"),
        (0, 128, 0),
    ),
    ("grey-jpeg", lambda: jpeg((300, 300), 90, mode="L"), (90, 90, 90)),
    ("16-bit-png", lambda: encoded(Image.new("I;16", (300, 300), 128 * 256), "PNG"), (128, 128, 128)),
    (
        "webp",
        lambda: encoded(Image.new("RGB", (300, 300), (10, 200, 220)), "WEBP", lossless=True),
        (10, 200, 220),
    ),
]


@pytest.mark.parametrize(("case", "make", "expected"), COLOURS, ids=[c[0] for c in COLOURS])
def test_colours_come_out_as_srgb(site: Path, case: str, make, expected):
    """CMYK, transparent, palette, grey and 16-bit pictures all come out as RGB in the expected colour."""
    (site / ANNA_PHOTO).write_bytes(make())
    output, _, _ = run_pipeline(site)
    for path in outputs_of(output, "profiles", "anna-kowalska"):
        with Image.open(path) as image:
            assert image.mode == "RGB", path.name
            assert "icc_profile" not in image.info
            assert close(image.getpixel((image.width // 2, image.height // 2)), expected), path.name


def linear_rgb_profile() -> bytes:
    """An ICC v2 profile of linear RGB (sRGB primaries, gamma 1.0): not sRGB, so pixels must change."""

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ \0\0\0\0" + s15(x) + s15(y) + s15(z)

    name = b"Linear RGB (test)\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(name)) + name + b"\0" * 8 + b"\0\0\0" + b"\0" * 67
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, 0x0100) + b"\0\0"
    tags = [
        (b"desc", desc),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.4361, 0.2225, 0.0139)),
        (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
        (b"cprt", b"text\0\0\0\0CC0\0"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (
        struct.pack(">I", size)
        + b"\0" * 4
        + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ "
        + b"\0" * 12
        + b"acsp"
        + b"\0" * 24
        + b"\0" * 4
        + s15(0.9642)
        + s15(1.0)
        + s15(0.8249)
        + b"\0" * 48
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data


def test_embedded_colour_profile_is_converted_to_srgb(site: Path):
    """Pixels tagged with a non-sRGB profile are converted to sRGB, and the profile is dropped."""
    profile = linear_rgb_profile()
    assert "Linear RGB" in ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(profile)))
    (site / ANNA_PHOTO).write_bytes(jpeg((300, 300), (128, 128, 128), icc_profile=profile))
    output, _, _ = run_pipeline(site)
    for path in outputs_of(output, "profiles", "anna-kowalska"):
        with Image.open(path) as image:
            assert "icc_profile" not in image.info
            # linear 0.5 is sRGB 0.735: about 188, where a pass-through would leave 128
            assert close(image.getpixel((150 * image.width // 300, 10)), (188, 188, 188), 6), path.name


# --- responsive renditions ------------------------------------------------------------------------

FOCUS = [
    # focus x, the colour the square crop of a blue-left, red-right photo shows
    (0.0, (0, 0, 255)),
    (0.1, (0, 0, 255)),
    (0.9, (255, 0, 0)),
    (1.0, (255, 0, 0)),
]


@pytest.mark.parametrize(("x", "colour"), FOCUS, ids=[f"focus-x-{x}" for x, _ in FOCUS])
def test_avatars_are_square_crops_around_the_focus(site: Path, x: float, colour):
    """A wide profile photo becomes square crops that keep the side the focal point is on."""
    photo = Image.new("RGB", (1200, 400), (0, 0, 255))
    photo.paste((255, 0, 0), (600, 0, 1200, 400))
    (site / ANNA_PHOTO).write_bytes(encoded(photo, "JPEG", quality=95))
    set_focus(site, x, 0.5)
    output, _, _ = run_pipeline(site)
    for path in outputs_of(output, "profiles", "anna-kowalska"):
        with Image.open(path) as image:
            assert image.width == image.height, path.name
            image = image.convert("RGB")
            for point in ((2, 2), (image.width // 2, image.height // 2), (image.width - 3, image.height - 3)):
                assert close(image.getpixel(point), colour, 40), f"{path.name} at {point}"


SIZES = [
    # kind, source size, expected widths of the WebP renditions, height of the largest
    ("profile", (2000, 1500), [160, 320, 640], 640),
    ("profile", (500, 700), [160, 320, 500], 500),
    ("profile", (100, 100), [100], 100),
    ("news", (3000, 2000), [320, 640, 1280], 853),
    ("news", (900, 600), [320, 640, 900], 600),
    ("news", (200, 400), [200], 400),
]


@pytest.mark.parametrize(("kind", "size", "widths", "height"), SIZES, ids=lambda v: str(v))
def test_renditions_are_never_upscaled_and_match_responsive(site: Path, kind, size, widths, height):
    """Widths stop at the source's size; responsive() names exactly the files written, at their sizes."""
    data = encoded(Image.new("RGB", size, (120, 60, 30)), "JPEG")
    if kind == "profile":
        (site / ANNA_PHOTO).write_bytes(data)
        section, slug = "profiles", "anna-kowalska"
    else:
        add_news_image(site, data)
        section, slug = "news", "concert"
    output, _, entries = run_pipeline(site)
    found = responsive(entries[(kind, slug)], "/site")
    assert found["srcset"] == ", ".join(f"/site/media/{section}/{slug}-{w}.webp {w}w" for w in widths)
    assert (found["width"], found["height"]) == (widths[-1], height)
    assert found["src"] == f"/site/media/{section}/{slug}-{widths[-1]}.jpg"
    assert found["type"] == "image/webp"
    assert found["sizes"] == ImageConfig().sizes[kind]
    urls = [u.split()[0] for u in found["srcset"].split(", ")] + [found["src"]]
    for url in urls:
        with Image.open(output / url.removeprefix("/site/")) as image:
            assert image.width in widths
            assert image.format in ("WEBP", "JPEG")
    with Image.open(output / found["src"].removeprefix("/site/")) as largest:
        assert largest.size == (found["width"], found["height"])


def test_translation_shows_its_originals_photo(site: Path):
    """A translation has no photo of its own: responsive() gives the original's."""
    (site / "content/profiles/anna-kowalska-en.md").write_text(
        "---\nid: 0b4e7d3c-8f4e-4f4e-9a55-3d0c1b2a1f00\ntranslation_of: anna-kowalska\nlang: en\n"
        "summary: Violinist between Hanover and Leipzig.\n---\n",
        "utf-8",
    )
    _, _, entries = run_pipeline(site)
    assert responsive(entries[("profile", "anna-kowalska-en")]) == responsive(
        entries[("profile", "anna-kowalska")]
    )
    assert responsive(entries[("call", "residency-leipzig")]) is None


# --- share cards ----------------------------------------------------------------------------------

NAMES = [
    "Łucja Wróblewska",
    "Poznań",
    "Élodie Lefèvre",
    "Perpignan · Rouen",
    "劇団かきつばた",
    "広島市",
    "Søren Dąbrowski",
]


@pytest.mark.parametrize("name", NAMES)
def test_bundled_fonts_set_polish_french_and_japanese(name: str):
    """Every character of the network's names has a glyph in Noto Sans or Noto Sans CJK JP."""
    assert settable(name)


def test_every_profile_call_and_city_has_a_share_card(site: Path):
    """A 1200×630 PNG per profile, call and city, named as share_card() says; none for news or pages."""
    output, stats, entries = run_pipeline(site)
    cards = {p.name for p in (output / "media/cards").iterdir()}
    expected = {
        f"{entry.type}-{entry.slug}.png"
        for entry in entries.values()
        if entry.type in ("profile", "call", "city") and entry.original is None
    }
    assert cards == expected
    assert stats.cards_drawn == len(expected)
    for entry in entries.values():
        card = share_card(entry)
        if entry.type in ("news", "page", "network"):
            assert card is None
            continue
        with Image.open(output / card["url"].lstrip("/")) as image:
            assert (image.format, image.size) == ("PNG", CARD_SIZE)
            assert len(image.getcolors(256)) > 4, "the card has text on it"


def test_japanese_card_draws_no_missing_glyph_boxes():
    """A Japanese city's card sets its name in the CJK font: it differs from one of missing-glyph boxes."""
    spec = images.CardSpec("city", "hiroshima", ("広島市",), (("Hiroshima · Japan",),))
    boxes = images.CardSpec("city", "hiroshima", ("\U0010fffd" * 3,), (("Hiroshima · Japan",),))
    assert images.draw_card(spec).tobytes() != images.draw_card(boxes).tobytes()
    assert [images._role(c) for c in "広島市"] == ["cjk"] * 3
    assert [images._role(c) for c in "Łódź"] == ["latin"] * 4


# --- cache and parallel work ------------------------------------------------------------------------


def test_second_build_decodes_no_image(site: Path, tmp_path: Path):
    """Two real builds: the first processes every photo, the second none, and the outputs stay the same."""
    cache = tmp_path / "cache"
    first = build_in_process(site, CACHE_PATH=str(cache))
    assert first.returncode == 0, first.log
    assert read_stats(cache)["processed"] == 2
    media = {p: p.read_bytes() for p in (site / "output/media").rglob("*") if p.is_file()}
    second = build_in_process(site, CACHE_PATH=str(cache))
    assert second.returncode == 0, second.log
    stats = read_stats(cache)
    assert (stats["processed"], stats["cards_drawn"], stats["files_written"]) == (0, 0, 0)
    assert stats["cached"] == 2
    assert {p: p.read_bytes() for p in (site / "output/media").rglob("*") if p.is_file()} == media


def test_cache_key_follows_content_and_settings(site: Path):
    """A changed photo or a changed width is processed again; an unchanged one is not."""
    _, first, _ = run_pipeline(site)
    assert (first.processed, first.cached) == (2, 0)
    (site / ANNA_PHOTO).write_bytes(jpeg((90, 90), (1, 2, 3)))
    _, second, _ = run_pipeline(site)
    assert (second.processed, second.cached) == (1, 1)
    _, third, _ = run_pipeline(site, ImageConfig(widths={"profile": (50, 100), "news": (320,)}))
    assert (third.processed, third.cached) == (2, 0)


def test_outputs_missing_from_output_are_put_back_from_the_cache(site: Path):
    """Deleting output/ (as a production build does) costs no decoding: files come from the cache."""
    output, _, _ = run_pipeline(site)
    shutil.rmtree(output)
    _, stats, _ = run_pipeline(site)
    assert (stats.processed, stats.cards_drawn) == (0, 0)
    assert stats.files_written > 0
    assert (output / "media/profiles/anna-kowalska-64.webp").is_file()


def test_many_images_run_on_worker_processes(tmp_path: Path):
    """A network with more jobs than run in-process uses a pool of workers and counts every image once."""
    from benchmarks.network import generate_network

    network = generate_network(tmp_path / "content", 0.001, dt.date(2026, 11, 27))
    loaded = load_site(tmp_path / "content")
    assert loaded.problems == []
    entries = build_listings(loaded, BUILD_TIME).entries.values()
    config = ImageConfig(workers=2)
    first = publish(entries, tmp_path / "output", tmp_path / "cache", config)
    assert first.workers == 2
    assert first.processed == network.images
    assert first.cards_drawn == len(loaded.profiles) + len(loaded.calls) + len(loaded.cities)
    assert first.worker_peak_mib > 0
    second = publish(entries, tmp_path / "output", tmp_path / "cache", config)
    assert (second.processed, second.cards_drawn, second.workers) == (0, 0, 0)


def test_a_damaged_image_fails_the_pipeline_with_its_name(site: Path):
    """A JPEG whose header is fine but whose data is cut off fails with the file's name, not a traceback."""
    data = encoded(Image.effect_noise((400, 400), 64).convert("RGB"), "JPEG")
    (site / ANNA_PHOTO).write_bytes(data[: len(data) // 2])
    with pytest.raises(images.ImageError, match=r"the image 'anna-kowalska.jpg' is damaged"):
        run_pipeline(site)


# --- alt text --------------------------------------------------------------------------

ALT_CASES = [
    ("![](stage.jpg)", [(0, "stage.jpg")]),
    ("![ ](stage.jpg)", [(0, "stage.jpg")]),
    ("![][stage]", [(0, "stage")]),
    ("![A stage at night](stage.jpg)", []),
    ('<img src="a.png">', []),  # raw HTML is markup the sanitiser removes, not a picture
    ("text\n\n```\n![](code.jpg)\n```\n![](after.jpg)", [(5, "after.jpg")]),
]


@pytest.mark.parametrize(("body", "found"), ALT_CASES, ids=[c[0] for c in ALT_CASES])
def test_images_without_alt_text_are_found(body: str, found):
    """Images in a body with empty or no alt text are found, with their line; described ones are not."""
    assert images_without_alt(body) == found


def test_build_warns_about_an_image_without_alt_text(site: Path):
    """An image without alt text in a body is a warning naming the file and line (fatal in test builds)."""
    path = site / ANNA
    text = path.read_text("utf-8")
    path.write_text(text + "\n![](stage.jpg)\n", "utf-8")
    line = len(text.splitlines()) + 2
    result = build_in_process(site, CACHE_PATH=str(site / "cache"))
    assert result.returncode != 0
    assert f"{ANNA}:{line}: (body): the image 'stage.jpg' has no alt text" in result.log


def test_worker_refusal_survives_pickling():
    """A refusal raised in a worker arrives whole: name, code and values."""
    import pickle

    refused = pickle.loads(pickle.dumps(ImageRefused("image-empty", name="a.jpg")))
    assert (str(refused), refused.name, refused.code) == (
        "the image 'a.jpg' is empty",
        "a.jpg",
        "image-empty",
    )


def test_pipeline_is_importable_without_the_content_model():
    """Workers import only the image module: it pulls in neither pydantic nor the schema."""
    import subprocess
    import sys

    code = "import sys, cucon.images; print('pydantic' in sys.modules, 'cucon.schema' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(images.__file__).parent.parent)},
    )
    assert result.stdout.split() == ["False", "False"]
