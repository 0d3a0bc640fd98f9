"""One language per form: every refusal of a bad upload (or a forbidden character) is shown wholly in
German on a German form and wholly in English on an English one, never German with English inside;
on a French, Polish or Japanese form in that language (no ``lang`` of its own).

The news form is posted to the app (fixtures of tests/conftest.py: a real spool, a real bare repository).
"""

from __future__ import annotations

import html
import io
import re

import pytest
from PIL import Image
from support import SVG, branches, fill_form, jpeg_with_exif, post

ENGLISH_WORDS = re.compile(
    r"\b(the|is|a|not|cannot|drawing|page|file|photo|picture|image|truncated|damaged|incomplete|export|"
    r"scale|pixels|allowed|control|character|remove|document|archive)\b",
    re.IGNORECASE,
)
GERMAN_WORDS = re.compile(r"\b(ist|kein|keine|bitte|Bild|Datei|nicht|oder|und|Zeichen|Foto|eine?)\b")


def png(size: tuple[int, int], mode: str = "1", frames: int = 1) -> bytes:
    """A PNG of ``size`` (an animation of ``frames`` frames when more than one)."""
    buffer = io.BytesIO()
    images = [Image.new(mode, size, n * 40) for n in range(frames)]
    images[0].save(buffer, "PNG", save_all=frames > 1, append_images=images[1:])
    return buffer.getvalue()


def uploads() -> dict[str, bytes]:
    """Bad uploads, each named bild.jpg by the browser."""
    jpeg = jpeg_with_exif()
    return {
        "svg": SVG,
        "html-named-jpg": b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        "xml": b"<note><to>Anna</to></note>",
        "text": b"just some words\n",
        "pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
        "gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        "heic": b"\x00\x00\x00\x18ftypheic" + bytes(64),
        "zip": b"PK\x03\x04" + bytes(64),
        "binary": bytes(range(200, 256)) * 4,
        "jpeg-header-only": jpeg[:20],
        "truncated-jpeg": jpeg[: len(jpeg) * 2 // 3],
        "too-many-pixels": png((7000, 6000)),
        "decompression-bomb": png((12000, 12000)),
        "animated-png": png((64, 64), "L", frames=3),
    }


UPLOADS = uploads()


def error_at(page: str, field: str) -> tuple[str, str]:
    """The error shown at a field: its text and its attributes."""
    found = re.search(rf'<span class="error" id="err-{field}"([^>]*)>([^<]*)</span>', page)
    assert found, page
    return html.unescape(found.group(2)), found.group(1)


@pytest.mark.parametrize("lang", ["de", "en", "fr", "pl", "ja"])
@pytest.mark.parametrize("upload", UPLOADS.values(), ids=UPLOADS.keys())
def test_a_bad_upload_is_refused_in_the_forms_language_only(client, clock, bare_repo, upload, lang):
    response = post(client, "news", fill_form(client, clock, "news", lang=lang), upload)
    assert response.status_code == 422, response.text
    text, attributes = error_at(response.text, "image")
    assert "bild.jpg" in text
    words = text.replace("bild.jpg", "")
    if lang == "en":
        assert GERMAN_WORDS.search(words) is None, text
    else:
        assert "lang=" not in attributes, text
    if lang in ("de", "ja"):
        assert ENGLISH_WORDS.search(words) is None, text
    assert sum(client.app.state.spool.counts().values()) == 0
    assert branches(bare_repo) == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("de", "Enthält an Stelle 6 ein Zeichen, das nicht erlaubt ist (ein Steuerzeichen (U+008E)); bitte entfernen."),
        ("en", "contains a control character (U+008E) at position 6; remove it"),
    ],
)  # fmt: skip
def test_a_forbidden_character_is_described_in_the_forms_language(client, clock, bare_repo, lang, expected):
    data = fill_form(client, clock, "news", lang=lang, title="Konze\x8ert im Park")
    response = post(client, "news", data)
    assert response.status_code == 422, response.text
    assert error_at(response.text, "title")[0] == expected
    assert branches(bare_repo) == []
