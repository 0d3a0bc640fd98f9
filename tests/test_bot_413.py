"""A body over the limit is answered with the 413 page that a browser can show: the service reads and
discards the body (up to four times the limit) before it answers, so the client still sending its
upload is not reset. So is every other answer given before the body's end: a malformed form (400), a
charset other than UTF-8 (422). Run against the real service (uvicorn on 127.0.0.1) with a raw socket."""

from __future__ import annotations

import dataclasses
import socket
from urllib.parse import urlsplit

import pytest
from support import SITE_ORIGIN, LiveServer, branches

from cucon.bot.app import create_app
from cucon.bot.middleware import DRAIN_FACTOR

LIMIT = 1024 * 1024
CHUNK = 64 * 1024


PHOTO = b'--x\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\n\r\n'
"""The start of a photo's part, as the form sends it."""


def upload(url: str, size: int, chunked: bool, start: bytes = PHOTO, content_type: str = "") -> bytes:
    """Post ``size`` bytes to /profile over a raw socket, in chunks as a browser does, beginning with
    ``start``; the whole answer."""
    parts = urlsplit(url)
    head = [
        "POST /profile HTTP/1.1",
        f"Host: {parts.netloc}",
        f"Origin: {SITE_ORIGIN}",
        f"Content-Type: multipart/form-data; boundary=x{content_type}",
        "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}",
        "Connection: close",
    ]
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        for at in range(0, size, CHUNK):
            data = b"x" * min(CHUNK, size - at)
            data = start + data[len(start) :] if at == 0 else data
            sock.sendall(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
        if chunked:
            sock.sendall(b"0\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


EARLY_ANSWERS = {
    "over the limit": (LIMIT * (DRAIN_FACTOR - 1), PHOTO, "", b"413", "höchstens 1 MB"),
    "malformed multipart": (
        LIMIT - CHUNK,
        b"--y\r\nnot the boundary\r\n",
        "",
        b"400",
        "nicht gelesen werden",
    ),
    "charset shift_jis": (LIMIT - CHUNK, PHOTO, "; charset=shift_jis", b"422", "nicht als UTF-8 an"),
}
"""Bodies the service answers before reading them to their end: size, start, charset, status, words."""


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize(
    ("size", "start", "charset", "status", "words"), EARLY_ANSWERS.values(), ids=EARLY_ANSWERS.keys()
)
def test_a_browser_still_uploading_reads_the_early_answer(
    config, clock, bare_repo, chunked, size, start, charset, status, words
):
    app = create_app(dataclasses.replace(config, max_body_bytes=LIMIT), clock=clock, worker_idle=0.05)
    with LiveServer(app) as url:
        answer = upload(url, size, chunked, start, charset)  # a reset raises ConnectionResetError here
    assert answer.startswith(b"HTTP/1.1 " + status + b" "), answer[:200]
    assert words.encode() in answer
    assert branches(bare_repo) == []
