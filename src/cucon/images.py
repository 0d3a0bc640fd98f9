"""Images: validate, clean, resize and cache the photos of the site, and draw its share cards.

One module for the build, ``cucon check`` and the submission bot, so all three accept the same files.

- **Validation** (:func:`inspect`, header only, fast): JPEG, PNG and WebP only, opened with an
  explicit format allow-list, so no other Pillow decoder (SVG, EPS through Ghostscript, GIF …)
  ever sees a contributor's file; at most 10 MB and 40 megapixels; Pillow's decompression-bomb
  warning is an error. Every refusal is an :class:`ImageRefused` naming the file and the reason.
- **Cleaning** (in the workers): the EXIF orientation is applied, colours are converted to sRGB
  (CMYK and embedded non-sRGB ICC profiles through ImageCms), transparency is flattened onto
  white, and every output is re-encoded from pixels with no metadata at all: no EXIF (GPS,
  serial numbers, author), no comments, no XMP, no ICC profile, nothing appended to the file.
- **Responsive output**: WebP at a few widths (never upscaled) and a JPEG fallback at the largest
  width, under ``media/<section>/<slug>-<width>.<ext>``; profile photos are square crops around
  ``photo.focus``, news images keep their aspect ratio. :func:`responsive` gives templates
  ``src``, ``srcset``, ``width``, ``height`` and ``sizes`` without decoding anything.
- **Share cards**: a 1200×630 PNG per profile, call and city (``media/cards/<type>-<slug>.png``),
  set in Noto Sans with Noto Sans CJK JP for Japanese (both SIL OFL 1.1, installed from PyPI).
- **Cache**: outputs live in ``<CACHE_PATH>/cucon-images/<key>/``; the key is the SHA-256 of the
  source bytes plus every setting that shapes the output and :data:`CODE_VERSION`. A build links
  (or copies) cached outputs into ``output/`` and decodes only what is not cached, on every core.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import logging
import multiprocessing
import os
import re
import resource
import shutil
import struct
import sys
import time
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from PIL import Image, ImageCms, ImageColor, ImageDraw, ImageFont, UnidentifiedImageError

from cucon import urls
from cucon.problems import Term, english

logger = logging.getLogger(__name__)

CODE_VERSION = "1"
"""Part of every cache key: bump it when a change of this module changes any output."""

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
"""The only decoders Pillow may use on a contributor's file."""

MAX_BYTES = 10 * 1024 * 1024
"""At most 10 MB per image (the same cap as ``cucon.content.MAX_IMAGE_BYTES``)."""

MAX_PIXELS = 40_000_000
"""At most 40 megapixels per image."""

# Pillow warns above this many pixels and refuses above twice as many; we treat the warning as an
# error too (see _opened), so nothing above 40 megapixels is ever decoded.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

ORIENTATION_TAG = 0x0112
TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
"""EXIF orientation → the transposition that makes the picture upright (as ImageOps.exif_transpose)."""

SECTIONS = {"profile": "profiles", "news": "news"}
"""The output folder under media/ of each type that has a photo."""

CARD_SIZE = (1200, 630)
CARD_TYPES = ("profile", "call", "city")
CACHE_FOLDER = "cucon-images"
INLINE_JOBS = 8
"""Up to this many jobs run in the build's own process; more go to a pool of workers."""
STATS_FILE = "stats.json"


class ImageRefused(ValueError):
    """An image the site will not publish: a problem code (:mod:`cucon.codes`) and its values, the
    file's ``name`` among them; ``str()`` names the file and the reason in plain words."""

    def __init__(self, code: str, /, **values: object):
        self.code = code
        self.values = values
        self.name = str(values["name"])
        super().__init__(english(code, values))

    def __reduce__(self):
        """Pickle by code and values, so a refusal crosses from a worker process intact."""
        return (_refused, (self.code, self.values))


def _refused(code: str, values: dict) -> ImageRefused:
    """An :class:`ImageRefused` again, from what :meth:`ImageRefused.__reduce__` pickled."""
    return ImageRefused(code, **values)


# --- validation (header only) -------------------------------------------------------------

KNOWN_OTHER_FORMATS = (
    (b"GIF87a", "format-gif"),
    (b"GIF89a", "format-gif"),
    (b"%!PS", "format-eps"),
    (b"\xc5\xd0\xd3\xc6", "format-eps"),
    (b"%PDF", "format-pdf"),
    (b"PK\x03\x04", "format-zip"),
    (b"BM", "format-bmp"),
    (b"II*\x00", "format-tiff"),
    (b"MM\x00*", "format-tiff"),
    (b"\x00\x00\x01\x00", "format-ico"),
    (b"8BPS", "format-psd"),
)
"""Leading bytes of files people rename to .jpg, and what to call them (a term of :mod:`cucon.codes`)."""

OWN_FORMATS = ((b"\xff\xd8\xff", "JPEG"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"RIFF", "WebP"))
"""Leading bytes of the accepted formats: a file that has them but does not open is damaged."""


def describe_format(head: bytes) -> Term:
    """What a file that is not JPEG, PNG or WebP looks like: a term of :mod:`cucon.codes`.

    >>> describe_format(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">')
    'format-svg'
    >>> describe_format(b"GIF89a..."), describe_format(b"<!DOCTYPE html><html>")
    ('format-gif', 'format-html')
    >>> describe_format(b"\\x00\\x00\\x00\\x18ftypheic")
    'format-heic'
    """
    for magic, name in KNOWN_OTHER_FORMATS:
        if head.startswith(magic):
            return Term(name)
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"hevc", b"mif1", b"msf1"):
            return Term("format-heic")
        if brand in (b"avif", b"avis"):
            return Term("format-avif")
        return Term("format-video")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in text or (text.startswith(b"<?xml") and b"svg" in text):
        return Term("format-svg")
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--")) or b"<html" in text:
        return Term("format-html")
    if text.startswith(b"<"):
        return Term("format-xml")
    try:
        head.decode("utf-8")
        return Term("format-text")
    except UnicodeDecodeError:
        return Term("format-unknown")


@dataclass(frozen=True)
class ImageInfo:
    """What the header says: format, upright size and EXIF orientation."""

    format: str
    width: int
    height: int
    orientation: int = 1


PIXEL_COUNT = re.compile(r"\((\d+) pixels\)")


def _opened(fp, name: str) -> Image.Image:
    """Open an image with the allow-list of formats; refuse anything else in plain words.

    Must be called inside ``warnings.catch_warnings()`` with DecompressionBombWarning as an error.
    """
    try:
        image = Image.open(fp, formats=list(ALLOWED_FORMATS))
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        found = PIXEL_COUNT.search(str(exc))
        if found:
            raise ImageRefused(
                "image-too-many-pixels", name=name, megapixels=int(found.group(1)) / 1e6
            ) from None
        raise ImageRefused("image-too-many-pixels-uncounted", name=name) from None
    except UnidentifiedImageError:
        fp.seek(0)
        head = fp.read(512)
        for magic, kind in OWN_FORMATS:
            if head.startswith(magic) and (kind != "WebP" or head[8:12] == b"WEBP"):
                raise ImageRefused("image-damaged-format", name=name, format=kind) from None
        raise ImageRefused("image-not-a-photo", name=name, what=describe_format(head)) from None
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
        raise ImageRefused("image-unreadable", name=name, detail=str(exc)) from None
    if image.format not in (*ALLOWED_FORMATS, "MPO"):  # pragma: no cover - the allow-list sees to it
        raise ImageRefused("image-wrong-format", name=name, format=image.format)
    width, height = image.size
    if width * height > MAX_PIXELS:
        megapixels = width * height / 1e6
        raise ImageRefused(
            "image-too-large-pixels", name=name, width=width, height=height, megapixels=megapixels
        )
    if image.format in ("PNG", "WEBP") and getattr(image, "n_frames", 1) > 1:
        raise ImageRefused("image-animated", name=name)
    return image


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation (1–8) from the header alone; 1 when absent or unreadable."""
    raw = image.info.get("exif")
    if not raw:
        return 1
    exif = Image.Exif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exif.load(raw)
        value = exif.get(ORIENTATION_TAG, 1)
    except Exception:  # a broken EXIF block only means: no orientation
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _header(fp, name: str, size: int) -> ImageInfo:
    """Check one image by its header: size cap, format, pixels, animation; never decodes pixels."""
    if size > MAX_BYTES:
        raise ImageRefused("image-too-large", name=name, size=size)
    if size == 0:
        raise ImageRefused("image-empty", name=name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. a malformed MPO: the check is about what follows
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with _opened(fp, name) as image:
            orientation = _orientation(image)
            width, height = image.size
            if orientation >= 5:
                width, height = height, width
            # A phone's multi-picture JPEG (MPO) is a JPEG whose first picture is the photo.
            return ImageInfo("JPEG" if image.format == "MPO" else image.format, width, height, orientation)


HeaderKey = tuple[str, int, int]
"""A version of a file: its absolute path, modification time (ns) and size."""

_HEADERS: dict[HeaderKey, ImageInfo | ImageRefused] = {}
"""The header checks of this process by file version (a memo that :func:`remember_headers` may seed)."""


def remember_headers(found: Mapping[HeaderKey, ImageInfo | ImageRefused]) -> None:
    """Take header checks an earlier build made (its read cache), so an unchanged photo is not read again."""
    _HEADERS.update(found)


def known_headers(files: Iterable[str]) -> dict[HeaderKey, ImageInfo | ImageRefused]:
    """The header checks of some files (absolute paths) this process knows, for the next build."""
    wanted = set(files)
    return {key: found for key, found in _HEADERS.items() if key[0] in wanted}


def forget_headers() -> None:
    """Forget every header check (a benchmark that times them reads each header again)."""
    _HEADERS.clear()


def _inspect_cached(path: str, mtime_ns: int, size: int) -> ImageInfo | ImageRefused:
    """The header check of one version of a file (by path, mtime and size), memoised."""
    key = (path, mtime_ns, size)
    found = _HEADERS.get(key)
    if found is None:
        try:
            with open(path, "rb") as fp:
                found = _header(fp, Path(path).name, size)
        except ImageRefused as refused:
            found = refused
        _HEADERS[key] = found
    return found


def inspect(path: Path | str) -> ImageInfo:
    """Check an image file by its header and return its format and upright size.

    Cheap enough for ``cucon check`` on every image (the pixels are never decoded) and
    memoised per version of the file, so the build's templates ask again for free.
    Raises :class:`ImageRefused` for anything the site would not publish.
    """
    stat = os.stat(path)
    found = _inspect_cached(os.path.abspath(path), stat.st_mtime_ns, stat.st_size)
    if isinstance(found, ImageRefused):
        raise ImageRefused(found.code, **found.values)
    return found


def inspect_bytes(data: bytes, name: str) -> ImageInfo:
    """:func:`inspect` for an upload held in memory (the submission bot)."""
    return _header(io.BytesIO(data), name, len(data))


# --- planning: which files an image becomes -------------------------------------------------


@dataclass(frozen=True)
class ImageConfig:
    """Every setting that shapes the images (the build's come from cucon.site.settings)."""

    widths: Mapping[str, tuple[int, ...]] = field(
        default_factory=lambda: {"profile": (160, 320, 640), "news": (320, 640, 1280)}
    )
    sizes: Mapping[str, str] = field(
        default_factory=lambda: {
            "profile": "(min-width: 20rem) 18rem, 100vw",
            "news": "(min-width: 48rem) 46rem, 100vw",
        }
    )
    webp_quality: int = 80
    jpeg_quality: int = 82
    workers: int | None = None
    share_cards: bool = True
    card_lang: str = "de"


def output_widths(limit: int, widths: Iterable[int]) -> list[int]:
    """The widths to write for a picture ``limit`` pixels wide: never upscaled, the largest kept.

    >>> output_widths(2000, (320, 640, 1280)), output_widths(800, (320, 640, 1280))
    ([320, 640, 1280], [320, 640, 800])
    >>> output_widths(100, (160, 320)), output_widths(320, (160, 320, 640))
    ([100], [160, 320])
    """
    widths = sorted(widths)
    largest = min(limit, widths[-1])
    return [*(w for w in widths if w < largest), largest]


@dataclass(frozen=True)
class Rendition:
    """One file an image becomes: its name in the cache entry, size and encoder."""

    name: str
    width: int
    height: int
    format: str


@dataclass(frozen=True)
class Plan:
    """What to make of one source image, and where the results go under output/."""

    kind: str
    crop: bool
    focus: tuple[float, float]
    renditions: tuple[Rendition, ...]
    targets: tuple[tuple[str, str], ...]
    """(path under output/, rendition name) of every file to place."""

    @property
    def largest(self) -> Rendition:
        """The largest WebP, whose size templates give as width and height."""
        webp = [r for r in self.renditions if r.format == "WEBP"]
        return max(webp or self.renditions, key=lambda r: r.width)


def plan_image(
    info: ImageInfo,
    kind: str,
    slug: str,
    file_name: str,
    focus: tuple[float, float] = (0.5, 0.5),
    config: ImageConfig | None = None,
) -> Plan:
    """Plan the renditions of a profile photo (square crop) or news image (its own aspect ratio)."""
    config = config or ImageConfig()
    crop = kind == "profile"
    if crop:
        side = min(info.width, info.height)
        sizes = [(w, w) for w in output_widths(side, config.widths[kind])]
    else:
        sizes = [
            (w, max(1, round(w * info.height / info.width)))
            for w in output_widths(info.width, config.widths[kind])
        ]
    renditions = [Rendition(f"w{w}.webp", w, h, "WEBP") for w, h in sizes]
    width, height = sizes[-1]
    jpeg = Rendition(f"w{width}.jpg", width, height, "JPEG")
    renditions.append(jpeg)
    targets = [(urls.rendition(kind, slug, r.width, r.name.rsplit(".", 1)[1]), r.name) for r in renditions]
    return Plan(
        kind=kind,
        crop=crop,
        focus=focus if crop else (0.5, 0.5),
        renditions=tuple(renditions),
        targets=tuple(targets),
    )


def _photo_of(entry) -> tuple[str, str, tuple[float, float]] | None:
    """(kind, file name, focus) of the image an entry shows, from its original; None without one."""
    original = entry.original or entry
    meta = original.item.meta
    if original.type == "profile":
        focus = meta.photo.focus
        return "profile", meta.photo.file, (focus.x, focus.y) if focus else (0.5, 0.5)
    if original.type == "news" and meta.image:
        return "news", meta.image.file, (0.5, 0.5)
    return None


def image_stamp(entry) -> tuple[str, int, int] | None:
    """(file name, size, modification time) of an entry's image: what tells that it changed."""
    found = _photo_of(entry)
    if found is None:
        return None
    original = entry.original or entry
    try:
        stat = (original.item.source.parent / found[1]).stat()
    except OSError:
        return (found[1], -1, -1)
    return (found[1], stat.st_size, stat.st_mtime_ns)


def plan_entry(entry, config: ImageConfig | None = None) -> tuple[Path, Plan] | None:
    """The source path and plan of an entry's image (a translation's is its original's)."""
    found = _photo_of(entry)
    if found is None:
        return None
    kind, name, focus = found
    original = entry.original or entry
    source = original.item.source.parent / name
    return source, plan_image(inspect(source), kind, original.slug, name, focus, config)


def responsive(entry, siteurl: str = "", config: ImageConfig | None = None, sizes: str | None = None):
    """What a template needs to show an entry's photo or image; None if it has none.

    A dict with ``src`` (the JPEG fallback), ``srcset`` (the WebP widths), ``type``
    (``image/webp``), ``jpeg_srcset``, ``width`` and ``height`` (the intrinsic size of the
    largest rendition, so the page does not shift while it loads), ``sizes``, and ``small``: the
    smallest WebP's ``src``, ``width`` and ``height``, for cards. URLs start
    with ``siteurl`` + ``/media/…``. Reads only the image header, once per version of the file.
    """
    config = config or ImageConfig()
    planned = plan_entry(entry, config)
    if planned is None:
        return None
    _, plan = planned
    links: dict[str, str] = {}
    for path, name in plan.targets:  # the copy under the source's own name comes last: not this one
        links.setdefault(name, urls.href(siteurl, path))
    webp = [r for r in plan.renditions if r.format == "WEBP"]
    jpeg = next(r for r in plan.renditions if r.format == "JPEG")
    largest = plan.largest
    smallest = min(webp, key=lambda r: r.width)
    return {
        "src": links[jpeg.name],
        "srcset": ", ".join(f"{links[r.name]} {r.width}w" for r in webp),
        "type": "image/webp",
        "jpeg_srcset": f"{links[jpeg.name]} {jpeg.width}w",
        "width": largest.width,
        "height": largest.height,
        "sizes": sizes or config.sizes[plan.kind],
        "small": {"src": links[smallest.name], "width": smallest.width, "height": smallest.height},
    }


def share_card(entry, siteurl: str = "") -> dict | None:
    """The share card (Open Graph image) of a profile, call or city: ``url``, ``width``, ``height``."""
    original = entry.original or entry
    if original.type not in CARD_TYPES:
        return None
    width, height = CARD_SIZE
    return {
        "url": urls.href(siteurl, urls.share_card(original.type, original.slug)),
        "width": width,
        "height": height,
        "type": "image/png",
    }


def image_helpers(config: ImageConfig, siteurl: str) -> dict[str, Callable]:
    """``responsive(entry, sizes=None)`` and ``share_card(entry)`` bound to the site's image settings."""

    def responsive_image(entry, sizes: str | None = None):
        """See :func:`responsive`."""
        return responsive(entry, siteurl, config, sizes)

    def card(entry):
        """See :func:`share_card`."""
        return share_card(entry, siteurl)

    return {"responsive": responsive_image, "share_card": card}


# --- cleaning and encoding (runs in the workers) --------------------------------------------


@cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    """The sRGB profile every output is in."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@lru_cache(maxsize=64)
def _input_profile(icc: bytes) -> ImageCms.ImageCmsProfile | None:
    """An embedded ICC profile to convert from; None if it is sRGB already or unreadable."""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        description = ImageCms.getProfileDescription(profile) or ""
    except (ImageCms.PyCMSError, OSError, TypeError, ValueError):
        return None
    return None if "srgb" in description.lower() else profile


def to_srgb(image: Image.Image) -> Image.Image:
    """An RGB image in sRGB: CMYK and embedded ICC profiles converted, transparency on white."""
    mode = image.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
        mode = "L"
    if mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        mode in ("P", "L", "RGB") and "transparency" in image.info
    ):
        icc = image.info.get("icc_profile")
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        if icc:
            flat.info["icc_profile"] = icc
        image, mode = flat, "RGB"
    elif mode in ("P", "1", "YCbCr"):
        image, mode = image.convert("RGB"), "RGB"
    icc = image.info.get("icc_profile")
    profile = _input_profile(icc) if icc else None
    if profile is not None and mode in ("RGB", "CMYK", "L"):
        try:
            return ImageCms.profileToProfile(image, profile, _srgb_profile(), outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a profile that does not fit the pixels: fall back to the plain conversion
    return image.convert("RGB") if mode != "RGB" else image


def _crop_box(size: tuple[int, int], info: ImageInfo, plan: Plan) -> tuple[float, float, float, float]:
    """The region of the (upright, possibly draft-reduced) image the renditions show."""
    width, height = size
    if not plan.crop:
        return (0, 0, width, height)
    # Plan in the full-size upright image, in whole pixels, then scale to the decoded size.
    side = min(info.width, info.height)
    fx, fy = plan.focus
    left = min(max(round(fx * info.width - side / 2), 0), info.width - side)
    top = min(max(round(fy * info.height - side / 2), 0), info.height - side)
    sx, sy = width / info.width, height / info.height
    return (left * sx, top * sy, (left + side) * sx, (top + side) * sy)


def _draft_size(info: ImageInfo, plan: Plan) -> tuple[int, int]:
    """The smallest decoded size (in the file's own orientation) that still gives the largest
    rendition from at least twice its pixels, as Pillow's thumbnail does with reducing_gap=2."""
    largest = plan.largest.width
    reference = min(info.width, info.height) if plan.crop else info.width
    scale = min(1.0, 2 * largest / reference)
    width, height = (max(1, int(info.width * scale)), max(1, int(info.height * scale)))
    return (height, width) if info.orientation >= 5 else (width, height)


def encode(image: Image.Image, rendition: Rendition, config: ImageConfig, target: Path) -> None:
    """Write one rendition with no metadata at all."""
    image.info = {}
    if rendition.format == "WEBP":
        image.save(target, "WEBP", quality=config.webp_quality, method=4)
    elif rendition.format == "JPEG":
        image.save(target, "JPEG", quality=config.jpeg_quality, optimize=True, progressive=True)
    else:
        image.save(target, "PNG")


def _decode_clean(data: bytes, name: str, info: ImageInfo, plan: Plan) -> Image.Image:
    """Decode an image (JPEG in draft mode, just big enough for the plan), upright and in sRGB."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with _opened(io.BytesIO(data), name) as image:
            if image.format in ("JPEG", "MPO"):
                image.draft(None, _draft_size(info, plan))
            try:
                image.load()
            except (OSError, SyntaxError, ValueError, EOFError) as exc:
                raise ImageRefused("image-damaged", name=name, detail=str(exc)) from None
            upright = image.transpose(TRANSPOSE[info.orientation]) if info.orientation in TRANSPOSE else image
            if upright is not image:
                upright.info = image.info
            return to_srgb(upright)


def render_image(
    data: bytes, name: str, info: ImageInfo, plan: Plan, config: ImageConfig, folder: Path
) -> None:
    """Decode, clean and write every rendition of one image into ``folder``."""
    clean = _decode_clean(data, name, info, plan)
    box = _crop_box(clean.size, info, plan)
    largest = plan.largest
    base = clean.resize((largest.width, largest.height), Image.Resampling.LANCZOS, box=box)
    del clean
    for rendition in sorted(plan.renditions, key=lambda r: -r.width):
        if (rendition.width, rendition.height) == base.size:
            picture = base.copy()
        else:
            picture = base.resize((rendition.width, rendition.height), Image.Resampling.LANCZOS)
        encode(picture, rendition, config, folder / rendition.name)


UPLOAD_SHORT_SIDE = max(max(w) for w in ImageConfig().widths.values())
"""The shorter side of a kept upload at most: the widest rendition the build makes (1280 px), so
every rendition (a square profile crop, a news image at its full width) is still made at full size."""
UPLOAD_MAX_BYTES = 512 * 1024
"""The most bytes a kept upload takes: the submission bot's spool holds it for up to seven days."""
UPLOAD_QUALITIES = (85, 78, 70, 62)
"""The JPEG qualities tried in turn until the upload fits :data:`UPLOAD_MAX_BYTES`."""


def clean_upload(
    data: bytes,
    name: str,
    max_side: int = 2560,
    short_side: int = UPLOAD_SHORT_SIDE,
    max_bytes: int = UPLOAD_MAX_BYTES,
) -> bytes:
    """A contributor's upload as a clean JPEG to store in the repository (for the submission bot).

    Checked like every image, turned upright, converted to sRGB, at most ``max_side`` pixels on
    its longer side and ``short_side`` on its shorter, and encoded anew without any metadata: no
    GPS position or camera serial number ever reaches git. The quality steps down (and, for a
    picture of pure noise, the size too) until it takes at most ``max_bytes``. Raises :class:`ImageRefused`.
    """
    info = inspect_bytes(data, name)
    scale = min(1.0, max_side / max(info.width, info.height), short_side / min(info.width, info.height))
    width, height = max(1, round(info.width * scale)), max(1, round(info.height * scale))
    plan = Plan("news", False, (0.5, 0.5), (Rendition("upload.jpg", width, height, "JPEG"),), ())
    clean = _decode_clean(data, name, info, plan)
    while True:
        if clean.size != (width, height):
            clean = clean.resize((width, height), Image.Resampling.LANCZOS)
        clean.info = {}
        for quality in UPLOAD_QUALITIES:
            buffer = io.BytesIO()
            clean.save(buffer, "JPEG", quality=quality, optimize=True)
            if buffer.tell() <= max_bytes or (width, height) == (1, 1):
                return buffer.getvalue()
        width, height = max(1, width * 4 // 5), max(1, height * 4 // 5)


# --- share cards ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CardSpec:
    """The texts of one share card. Each is a tuple of alternatives: the first the fonts can set wins."""

    type: str
    slug: str
    title: tuple[str, ...]
    lines: tuple[tuple[str, ...], ...]


def _joined(values: Iterable[str]) -> str:
    """Texts joined with a middle dot."""
    return " · ".join(v for v in values if v)


def card_spec(entry, lang: str = "de") -> CardSpec | None:
    """The card of a profile, call or city: its name, its cities and its disciplines."""
    original = entry.original or entry
    if original.type not in CARD_TYPES:
        return None
    meta = original.item.meta

    def pick(names: Mapping) -> str:
        return names.get(lang) or names.get("en") or next(iter(names.values()))

    disciplines = (_joined(pick(d.names) for d in original.disciplines),)
    cities = (
        _joined(c.meta.names.local for c in original.cities),
        _joined(c.meta.names.en for c in original.cities),
    )
    if original.type == "city":
        names = meta.names
        others = [n for n in dict.fromkeys((names.en, names.de, names.local_latin or "")) if n != names.local]
        try:
            from babel import Locale

            country = Locale.parse(lang).territories.get(meta.country, meta.country)
        except (ValueError, LookupError):
            country = meta.country
        return CardSpec(
            "city",
            original.slug,
            (names.local, names.en),
            ((_joined([*others, country]), _joined([names.en, meta.country])),),
        )
    title = meta.name if original.type == "profile" else meta.title
    return CardSpec(original.type, original.slug, (title,), (cities, disciplines))


def _font_files() -> dict[str, Path]:
    """The bundled fonts: Noto Sans (Latin, Greek, Cyrillic) and Noto Sans CJK JP (Japanese)."""
    import fontpkg_noto_sans
    import noto_cjk_sans_jp_bold
    import noto_cjk_sans_jp_regular

    return {
        "latin": Path(fontpkg_noto_sans.ROOT) / "files" / "NotoSans[wdth,wght].ttf",
        "cjk": Path(str(noto_cjk_sans_jp_regular.FONT_PATH)),
        "cjk-bold": Path(str(noto_cjk_sans_jp_bold.FONT_PATH)),
    }


@cache
def font_versions() -> str:
    """The versions of the font packages, part of every card's cache key."""
    from importlib.metadata import version

    return ",".join(
        f"{name}=={version(name)}"
        for name in ("fontpkg-noto-sans", "noto-cjk-sans-jp-regular", "noto-cjk-sans-jp-bold")
    )


@lru_cache(maxsize=32)
def _font(role: str, size: int, bold: bool) -> ImageFont.FreeTypeFont:
    """One font at one size; the variable Noto Sans set to Bold or Regular."""
    files = _font_files()
    if role == "latin":
        font = ImageFont.truetype(str(files["latin"]), size, layout_engine=ImageFont.Layout.BASIC)
        font.set_variation_by_name("Bold" if bold else "Regular")
        return font
    path = files["cjk-bold" if bold else "cjk"]
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=8192)
def _has_glyph(role: str, char: str) -> bool:
    """Whether a font has a glyph for a character: its drawing differs from the missing-glyph box."""
    if char.isspace():
        return True
    font = _font(role, 32, False)

    def drawn(text: str) -> bytes:
        canvas = Image.new("L", (64, 64))
        ImageDraw.Draw(canvas).text((16, 48), text, font=font, fill=255, anchor="ls")
        return canvas.tobytes()

    return drawn(char) != drawn("\U0010fffd")


def _role(char: str) -> str | None:
    """The font that sets a character: Noto Sans first, Noto Sans CJK JP for the rest; None if neither."""
    if _has_glyph("latin", char):
        return "latin"
    if _has_glyph("cjk", char):
        return "cjk"
    return None


def settable(text: str) -> bool:
    """Whether the bundled fonts can set every character of a text.

    >>> settable("Poznań · Łódź · Kraków"), settable("劇団かきつばた · 広島"), settable("مدينة")
    (True, True, False)
    """
    return all(_role(c) is not None for c in text)


def _runs(text: str, size: int, bold: bool) -> list[tuple[str, ImageFont.FreeTypeFont]]:
    """A text split into runs that one font sets."""
    runs: list[tuple[str, ImageFont.FreeTypeFont]] = []
    current, chars = None, []
    for char in text:
        role = _role(char) or "latin"
        if role != current and chars:
            runs.append(("".join(chars), _font(current, size, bold)))
            chars = []
        current = role
        chars.append(char)
    if chars:
        runs.append(("".join(chars), _font(current, size, bold)))
    return runs


def _text_width(text: str, size: int, bold: bool) -> float:
    """The advance width of a text in the bundled fonts."""
    return sum(font.getlength(run) for run, font in _runs(text, size, bold))


def _draw_text(
    draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int, bold: bool, fill
) -> None:
    """Draw a text on a baseline, switching fonts per run."""
    x, y = xy
    for run, font in _runs(text, size, bold):
        draw.text((x, y), run, font=font, fill=fill, anchor="ls")
        x += font.getlength(run)


def _is_wide(char: str) -> bool:
    """Characters after which a line may break without a space (CJK)."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def _tokens(text: str) -> list[str]:
    """Words with their trailing spaces, and each wide (CJK) character on its own."""
    tokens: list[str] = []
    for word in re.findall(r"\S+\s*", text):
        if any(_is_wide(c) for c in word):
            tokens.extend(c for c in word)
        else:
            tokens.append(word)
    return tokens


def _ellipsised(text: str, width: float, size: int, bold: bool) -> str:
    """The text, cut with an ellipsis where it would be wider than ``width``."""
    if _text_width(text, size, bold) <= width:
        return text
    while text and _text_width(text.rstrip() + "…", size, bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap(text: str, width: float, size: int, bold: bool, max_lines: int) -> list[str]:
    """Break a text into at most ``max_lines`` lines no wider than ``width``; the last one cut."""
    lines: list[str] = []
    line = ""
    tokens = _tokens(text)
    for index, token in enumerate(tokens):
        if line and _text_width((line + token).rstrip(), size, bold) > width:
            if len(lines) == max_lines - 1:
                rest = line + "".join(tokens[index:])
                return [*lines, _ellipsised(rest.strip(), width, size, bold)]
            lines.append(_ellipsised(line.rstrip(), width, size, bold))
            line = ""
        line += token
    lines.append(_ellipsised(line.rstrip(), width, size, bold))
    return lines


def _choose(alternatives: tuple[str, ...]) -> str:
    """The first alternative the fonts can set, else the last."""
    return next((a for a in alternatives if a and settable(a)), alternatives[-1])


CARD_COLOURS = {"paper": "#ffffff", "ink": "#1b1e23", "muted": "#4d545c", "accent": "#0b57a4"}
"""The theme's colours (theme/static/css/site.css)."""


@cache
def _card_palette() -> Image.Image:
    """The card's own colours and 16 steps from the paper to each, for a small palette PNG."""
    paper = ImageColor.getrgb(CARD_COLOURS["paper"])
    colours = [paper]
    for name in ("ink", "muted", "accent"):
        colour = ImageColor.getrgb(CARD_COLOURS[name])
        for step in range(1, 17):
            colours.append(tuple(round(p + (c - p) * step / 16) for p, c in zip(paper, colour, strict=True)))
    palette = Image.new("P", (1, 1))
    flat = [value for colour in colours for value in colour]
    palette.putpalette(flat + [0] * (768 - len(flat)))
    return palette


def save_card(spec: CardSpec, target: Path) -> None:
    """Draw a card and write it as a palette PNG (text on flat colours: small and exact)."""
    card = draw_card(spec).quantize(palette=_card_palette(), dither=Image.Dither.NONE)
    card.save(target, "PNG")


def draw_card(spec: CardSpec) -> Image.Image:
    """A 1200×630 share card: the site's name, the title, cities and disciplines."""
    width, height = CARD_SIZE
    card = Image.new("RGB", CARD_SIZE, CARD_COLOURS["paper"])
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, 23, height), fill=CARD_COLOURS["accent"])
    left, right = 88, width - 88
    text_width = right - left
    _draw_text(draw, (left, 112), "CuCon", 40, True, CARD_COLOURS["accent"])
    title = _choose(spec.title)
    for size in (76, 64, 54):
        lines = wrap(title, text_width, size, True, 2)
        if len(lines) == 1 or size == 54:
            break
    y = 236
    for line in lines:
        _draw_text(draw, (left, y), line, size, True, CARD_COLOURS["ink"])
        y += round(size * 1.25)
    y += 20
    for alternatives in spec.lines:
        text = _choose(alternatives)
        if text:
            _draw_text(
                draw, (left, y), _ellipsised(text, text_width, 36, False), 36, False, CARD_COLOURS["muted"]
            )
            y += 54
    _draw_text(
        draw,
        (left, height - 56),
        "International Cultural Connection · Hannover",
        28,
        False,
        CARD_COLOURS["accent"],
    )
    return card


# --- the cache and the jobs ----------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One unit of work for a worker: an image to render or a card to draw, into a cache entry."""

    key: str
    folder: str
    source: str = ""
    source_hash: str = ""
    info: ImageInfo | None = None
    plan: Plan | None = None
    card: CardSpec | None = None
    config: ImageConfig = field(default_factory=ImageConfig)
    owners: tuple[tuple[str, str, str], ...] = ()
    """(type, slug, id) of the items this entry is made for, written into its :data:`ENTRY_FILE`."""


@dataclass
class Result:
    """What a worker sends back: only metadata, never pixels."""

    key: str
    decoded: bool = False
    error: str = ""
    peak_mib: float = 0.0


def _key(*parts: object) -> str:
    """A cache key from JSON-able parts."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=True, default=_jsonable)
    return hashlib.sha256(text.encode()).hexdigest()


def _jsonable(value: object) -> object:
    """Dataclasses and mappings as plain JSON values, for cache keys."""
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"not JSON-able: {value!r}")


def image_key(source_hash: str, plan: Plan, config: ImageConfig) -> str:
    """The cache key of an image: its content hash and every setting that shapes its renditions."""
    from PIL import __version__ as pillow

    return _key(
        "image",
        CODE_VERSION,
        pillow,
        source_hash,
        plan.crop,
        plan.focus,
        [(r.name, r.width, r.height, r.format) for r in plan.renditions],
        config.webp_quality,
        config.jpeg_quality,
    )


def card_key(spec: CardSpec) -> str:
    """The cache key of a share card: its texts, the fonts and the code version."""
    from PIL import __version__ as pillow

    return _key("card", CODE_VERSION, pillow, font_versions(), spec.type, spec.slug, spec.title, spec.lines)


def _entry_folder(cache: Path, key: str) -> Path:
    """The cache entry of a key."""
    return cache / key[:2] / key


def _done(folder: Path) -> bool:
    """Whether a cache entry is complete (its folder appears only once all files are written)."""
    return folder.is_dir()


def _peak_mib() -> float:
    """This process's peak resident memory in MiB (Linux counts KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def run_job(job: Job) -> Result:
    """Render one image or card into a fresh cache entry (the body of a worker)."""
    result = _run_job(job)
    result.peak_mib = _peak_mib()
    return result


def _run_job(job: Job) -> Result:
    """:func:`run_job` without the memory reading."""
    folder = Path(job.folder)
    if _done(folder):
        return Result(job.key)
    staging = folder.parent / f".{folder.name}.{os.getpid()}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        about = {"kind": "card" if job.card is not None else "image", "source_hash": job.source_hash}
        (staging / ENTRY_FILE).write_text(json.dumps({**about, "owners": job.owners}), "utf-8")
        if job.card is not None:
            save_card(job.card, staging / "card.png")
        else:
            name = Path(job.source).name
            data = Path(job.source).read_bytes()
            if hashlib.sha256(data).hexdigest() != job.source_hash:
                raise ImageRefused("image-changed", name=name)
            render_image(data, name, job.info, job.plan, job.config, staging)
        try:
            os.rename(staging, folder)
        except OSError:
            if not _done(folder):
                raise
    except ImageRefused as refused:
        return Result(job.key, decoded=job.card is None, error=str(refused))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Result(job.key, decoded=job.card is None)


HASHES_FILE = "hashes.json"
ENTRY_FILE = "entry.json"
"""In each cache entry: whether it is an image's renditions or a share card, the source image's hash,
and the (type, slug, id) of the items it was made for; no names. ``cucon remove`` finds a person's
entries by it (:func:`forget`)."""


class HashMemo:
    """Content hashes of source images, remembered by path, size and mtime.

    The cache key stays the content hash; this only spares reading every unchanged source on
    every build. A file whose size or mtime changed is hashed again.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.known: dict[str, list] = json.loads(path.read_text("utf-8"))
        except (FileNotFoundError, ValueError):
            self.known = {}
        self.seen: dict[str, list] = {}

    def digest(self, source: Path) -> str:
        """The SHA-256 of a file's bytes."""
        stat = os.stat(source)
        key = str(source)
        remembered = self.known.get(key)
        if remembered and remembered[0] == stat.st_size and remembered[1] == stat.st_mtime_ns:
            digest = remembered[2]
        else:
            digest = hashlib.sha256(Path(source).read_bytes()).hexdigest()
        self.seen[key] = [stat.st_size, stat.st_mtime_ns, digest]
        return digest

    def save(self) -> None:
        """Write the hashes of this build's sources (and only those) for the next build."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.seen, sort_keys=True), "utf-8")


def place(source: str | Path, target: str | Path) -> bool:
    """Put a cached file at ``target`` (a hard link, else a copy); False if it is linked already.

    Linking anew is cheaper than comparing the bytes of two files.
    """
    try:
        have = os.stat(target)
    except FileNotFoundError:
        have = None
    if have is not None:
        want = os.stat(source)
        if (have.st_ino, have.st_dev) == (want.st_ino, want.st_dev):
            return False
    folder, name = os.path.split(target)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temporary)
    try:
        os.link(source, temporary)
    except OSError:
        shutil.copyfile(source, temporary)
    os.replace(temporary, target)
    return True


@dataclass
class Stats:
    """What one run of the pipeline did; ``processed`` counts the images it decoded."""

    processed: int = 0
    cached: int = 0
    cards_drawn: int = 0
    cards_cached: int = 0
    files_written: int = 0
    seconds: float = 0.0
    workers: int = 0
    worker_peak_mib: float = 0.0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the build log."""
        return (
            f"cucon images: {self.processed} processed, {self.cached} from cache; "
            f"share cards: {self.cards_drawn} drawn, {self.cards_cached} from cache; "
            f"{self.files_written} files written in {self.seconds:.2f} s "
            f"({self.workers} workers, worker peak {self.worker_peak_mib:.0f} MiB)"
        )


class ImageError(Exception):
    """Images that failed while the site was built; carries every message."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


def _pool_context():
    """Workers from a fork server that has imported this module: quick to start, no copy of the build."""
    if sys.platform == "win32":  # pragma: no cover
        return multiprocessing.get_context("spawn")
    main = sys.modules.get("__main__")
    main_file = getattr(main, "__file__", None)
    if getattr(main, "__spec__", None) is None and main_file and not os.path.exists(main_file):
        # Workers of a fork server re-import the main script, which a program read from standard
        # input does not have: fork instead.
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def _run(jobs: list[Job], workers: int) -> Iterator[Result]:
    """Run jobs on ``workers`` processes (in this process for one worker or a handful of jobs)."""
    if workers <= 1:
        yield from map(run_job, jobs)
        return
    chunk = max(1, min(32, len(jobs) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
        yield from pool.map(run_job, jobs, chunksize=chunk)


def _progress(log: logging.Logger, total: int) -> Callable[[int], None]:
    """A callback that logs done/total about every tenth of the way (for 50 jobs or more)."""
    step = max(1, total // 10) if total >= 50 else total
    started = time.perf_counter()

    def report(done: int) -> None:
        if done % step == 0 and done < total:
            log.info(
                "cucon images: %d/%d (%d%%), %.1f s",
                done,
                total,
                100 * done // total,
                time.perf_counter() - started,
            )

    return report


def publish(
    entries: Iterable,
    output: Path,
    cache: Path,
    config: ImageConfig | None = None,
    log: logging.Logger | None = None,
    placed: set[str] | None = None,
) -> Stats:
    """Make every image and share card of the entries and place them under ``output/media/``.

    ``placed`` gains the path under ``output/`` of every file placed (for incremental builds).

    Cached results are linked into place without decoding anything; the rest is rendered on
    every core (or ``config.workers``), then placed. Returns the counts; the counts are also
    written to ``cache/cucon-images/stats.json``. Raises :class:`ImageError` if any image fails.
    """
    config = config or ImageConfig()
    log = log or logger
    started = time.perf_counter()
    root = Path(cache) / CACHE_FOLDER
    root.mkdir(parents=True, exist_ok=True)
    output = Path(output)
    stats = Stats()
    hashes = HashMemo(root / HASHES_FILE)
    jobs: dict[str, Job] = {}
    targets: dict[str, list[tuple[str, str]]] = {}
    cards: set[str] = set()
    owners: dict[str, set[tuple[str, str, str]]] = {}
    for entry in entries:
        if entry.original is not None:
            continue
        owner = (entry.type, entry.slug, entry.item.id)
        planned = plan_entry(entry, config)
        if planned is not None:
            source, plan = planned
            digest = hashes.digest(source)
            key = image_key(digest, plan, config)
            jobs.setdefault(
                key,
                Job(
                    key,
                    str(_entry_folder(root, key)),
                    source=str(source),
                    source_hash=digest,
                    info=inspect(source),
                    plan=plan,
                    config=config,
                ),
            )
            targets.setdefault(key, []).extend(plan.targets)
            owners.setdefault(key, set()).add(owner)
        spec = card_spec(entry, config.card_lang) if config.share_cards else None
        if spec is not None:
            key = card_key(spec)
            jobs.setdefault(key, Job(key, str(_entry_folder(root, key)), card=spec))
            targets.setdefault(key, []).append((urls.share_card(spec.type, spec.slug), "card.png"))
            owners.setdefault(key, set()).add(owner)
            cards.add(key)
    folders: set[str] = set()

    def place_all(key: str) -> None:
        # Plain strings and os calls: this loop is most of a build whose images are all cached.
        entry_folder = jobs[key].folder
        for path, name in targets[key]:
            target = os.path.join(output, path)
            parent = os.path.dirname(target)
            if parent not in folders:
                os.makedirs(parent, exist_ok=True)
                folders.add(parent)
            stats.files_written += place(os.path.join(entry_folder, name), target)

    pending = []
    for key, job in jobs.items():
        if os.path.isdir(job.folder):
            if key in cards:
                stats.cards_cached += 1
            else:
                stats.cached += 1
            place_all(key)
        else:
            pending.append(dataclasses.replace(job, owners=tuple(sorted(owners[key]))))
    if pending:
        # Starting the workers costs more than a handful of jobs: those run in this process.
        stats.workers = 1 if len(pending) <= INLINE_JOBS else (config.workers or os.cpu_count() or 1)
        log.info(
            "cucon images: %d to render (%d images, %d share cards) on %d workers; %d from cache",
            len(pending),
            sum(1 for j in pending if j.card is None),
            sum(1 for j in pending if j.card is not None),
            stats.workers,
            stats.cached + stats.cards_cached,
        )
        report = _progress(log, len(pending))
        for done, result in enumerate(_run(pending, stats.workers), 1):
            stats.worker_peak_mib = max(stats.worker_peak_mib, result.peak_mib)
            if result.error:
                stats.errors.append(result.error)
            else:
                place_all(result.key)
            if result.key in cards:
                stats.cards_drawn += 1
            elif result.decoded:
                stats.processed += 1
            report(done)
    stats.seconds = time.perf_counter() - started
    if placed is not None:
        placed.update(path for paths in targets.values() for path, _ in paths)
    hashes.save()
    stats_file = root / STATS_FILE
    stats_file.write_text(json.dumps(dataclasses.asdict(stats), indent=2) + "\n", "utf-8")
    log.info("%s", stats.summary())
    if stats.errors:
        raise ImageError(stats.errors)
    return stats


def forget(
    cache: Path,
    hashes: set[str],
    items: set[tuple[str, str]],
    ids: set[str],
    cards_of: set[tuple[str, str]] = frozenset(),
    dry_run: bool = False,
) -> list[Path]:
    """Delete the cache entries made from a source image of ``hashes`` or for one of the ``items``
    ((type, slug)) or ``ids``, the share cards of ``cards_of``, and every entry that does not say
    whose it is (made before :data:`ENTRY_FILE`, or left half-written); return their folders.

    The source paths of the images of ``hashes`` leave the hash memo too. Deleting an entry is
    always safe: the next build makes it again if it is still needed.
    """
    root = Path(cache) / CACHE_FOLDER
    gone: list[Path] = []
    for folder in sorted(root.glob("??/*")) if root.is_dir() else ():
        if not folder.is_dir():
            continue
        try:
            about = json.loads((folder / ENTRY_FILE).read_text("utf-8"))
            owners = {(t, slug) for t, slug, _ in about["owners"]}
            mine = (
                about["source_hash"] in hashes
                or bool(owners & items)
                or any(owner_id in ids for _, _, owner_id in about["owners"])
                or (about["kind"] == "card" and bool(owners & cards_of))
            )
        except (OSError, ValueError, KeyError, TypeError):
            mine = True
        if mine:
            gone.append(folder)
            if not dry_run:
                shutil.rmtree(folder)
    memo = root / HASHES_FILE
    if hashes and memo.is_file() and not dry_run:
        try:
            known = json.loads(memo.read_text("utf-8"))
            kept = {path: found for path, found in known.items() if found[2] not in hashes}
        except (ValueError, TypeError, IndexError, AttributeError):
            kept = {}
        memo.write_text(json.dumps(kept, sort_keys=True), "utf-8")
    return gone


def read_stats(cache: Path) -> dict:
    """The counts of the last run of :func:`publish` with this cache folder."""
    return json.loads((Path(cache) / CACHE_FOLDER / STATS_FILE).read_text("utf-8"))


# --- alt text of images in Markdown bodies -----------------------------------------------------

MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\s*(?:\(\s*<?(?P<src>[^)\s>]*)|\[(?P<ref>[^\]]*)\])")
FENCE = re.compile(r"^\s*(```|~~~)")


def images_without_alt(body: str) -> list[tuple[int, str]]:
    """(line within the body, from 0; source) of every Markdown image with empty alt text.

    Only Markdown's ``![alt](src)`` counts: raw HTML ``<img>`` is removed by the sanitiser as
    markup that is not allowed, not published as a picture.

    >>> images_without_alt("Hi\\n![](stage.jpg)\\n![A stage](ok.jpg) ![ ][ref]")
    [(1, 'stage.jpg'), (2, 'ref')]
    >>> images_without_alt("```\\n![](in-code.jpg)\\n```")
    []
    """
    found = []
    fenced = False
    for number, line in enumerate(body.splitlines()):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        for match in MARKDOWN_IMAGE.finditer(line):
            if not match.group("alt").strip():
                found.append((number, match.group("src") or match.group("ref") or "(no source)"))
    return found
