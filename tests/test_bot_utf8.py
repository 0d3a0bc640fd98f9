"""Form posts are UTF-8 only: text in another encoding is refused with 422 at its field, in the form's
language, and nothing is stored or pushed; valid UTF-8 (emoji included) still passes.

Raw request bodies are posted to the app (fixtures of tests/conftest.py: a real spool, a real bare
repository), since a browser-like client always sends UTF-8.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote_from_bytes

import pytest
from support import SITE_ORIGIN, branches, fill_form, wait_for

BOUNDARY = "----cucon-utf8-test"
WORDS = {
    "de": "Dieser Text kam nicht als UTF-8 an und ist nicht lesbar; bitte noch einmal eingeben.",
    "en": "this text was not sent as UTF-8 and cannot be read; please type it again",
}


def multipart(fields: dict, raw: dict[str, bytes], content_type: str = "") -> tuple[bytes, str]:
    """A multipart body of ``fields`` (as UTF-8) and ``raw`` (bytes as they are), and its Content-Type."""
    parts = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append((name, item.encode()))
    parts += list(raw.items())
    body = b"".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + data + b"\r\n"
        for name, data in parts
    )
    return body + f"--{BOUNDARY}--\r\n".encode(), f"multipart/form-data; boundary={BOUNDARY}{content_type}"


def urlencoded(fields: dict, raw: dict[str, bytes]) -> tuple[bytes, str]:
    """An urlencoded body of ``fields`` (as UTF-8) and ``raw`` (percent-encoded bytes as they are)."""
    pairs = [
        (name, item.encode()) for name, v in fields.items() for item in (v if isinstance(v, list) else [v])
    ] + list(raw.items())
    body = "&".join(f"{name}={quote_from_bytes(data)}" for name, data in pairs)
    return body.encode("ascii"), "application/x-www-form-urlencoded"


def post_raw(client, body: bytes, content_type: str):
    """Post a body as it is to the call form."""
    headers = {"Origin": SITE_ORIGIN, "Content-Type": content_type}
    return client.post("/call", content=body, headers=headers)


NOT_UTF8 = {
    "windows-1250": "Paweł Łukasiewicz".encode("cp1250"),
    "shift_jis": "山田太郎の音".encode("shift_jis"),
    "latin-1": "Café Klangräume".encode("latin-1"),
    "lone-continuation": b"Klang\x80raum",
    "overlong": b"Klang\xc0\xafraum",
    "surrogate": b"Klang\xed\xa0\x80raum",
    "truncated-sequence": b"Klangr\xc3",
}


@pytest.mark.parametrize("encode", [multipart, urlencoded], ids=["multipart", "urlencoded"])
@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("data", NOT_UTF8.values(), ids=NOT_UTF8.keys())
def test_text_that_is_not_utf8_is_refused_at_its_field(client, clock, bare_repo, data, lang, encode):
    fields = fill_form(client, clock, "call", lang=lang)
    del fields["title"]
    body, content_type = encode(fields, {"title": data})
    response = post_raw(client, body, content_type)
    assert response.status_code == 422, response.text
    page = response.text
    assert f'<html lang="{lang}"' in page
    error = re.search(r'<span class="error" id="err-title">([^<]*)</span>', page)
    assert error, page
    assert html.unescape(error.group(1)).strip() == WORDS[lang]
    for guess in ("\ufffd", "Pawe³", "\x8d"):  # nothing decoded by guesswork
        assert guess not in page
    assert sum(client.app.state.spool.counts().values()) == 0
    assert branches(bare_repo) == []


@pytest.mark.parametrize("encode", [multipart, urlencoded], ids=["multipart", "urlencoded"])
def test_utf8_with_emoji_and_polish_still_passes(client, clock, bare_repo, encode):
    fields = fill_form(client, clock, "call", lang="de")
    del fields["title"]
    body, content_type = encode(fields, {"title": "Klangräume Łódź 2027 🎶".encode()})
    response = post_raw(client, body, content_type)
    assert response.status_code == 202, response.text
    wait_for(lambda: client.app.state.spool.counts()["proposed"] == 1)
    assert len(branches(bare_repo)) == 1


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        ({"title": "山田".encode("shift_jis")}, "; charset=shift_jis"),
        ({"title": b"Klang"}, "; charset=windows-1250"),
        ({"title": b"Klang"}, "; charset=no-such-charset"),
        ({"tit\xb3e": b"Klang"}, ""),
    ],
    ids=["charset-shift_jis", "charset-windows-1250", "charset-unknown", "field-name-latin-1"],
)
def test_a_post_in_another_charset_is_refused_whole(client, clock, bare_repo, raw, content_type):
    fields = fill_form(client, clock, "call", lang="de")
    del fields["title"]
    body, declared = multipart(fields, {}, content_type)
    extra = b"".join(
        b'--' + BOUNDARY.encode() + b'\r\nContent-Disposition: form-data; name="' + name.encode("latin-1")
        + b'"\r\n\r\n' + data + b"\r\n"
        for name, data in raw.items()
    )  # fmt: skip
    response = post_raw(client, extra + body, declared)
    assert response.status_code == 422, response.text
    assert "nicht als UTF-8 an" in response.text
    assert "did not arrive as UTF-8" in response.text
    assert sum(client.app.state.spool.counts().values()) == 0
    assert branches(bare_repo) == []
