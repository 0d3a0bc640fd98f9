"""A body over the limit is answered with the 413 page that a browser can show: the service reads and
discards the body (up to four times the limit) before it answers, so the client still sending its
upload is not reset. Run against the real service (uvicorn on 127.0.0.1) with a raw socket."""

from __future__ import annotations

import dataclasses
import socket
from urllib.parse import urlsplit

import pytest
import test_bot_app as service

from cucon.bot.app import DRAIN_FACTOR, create_app

bare_repo, config, clock = service.bare_repo, service.config, service.clock
"""The service's fixtures (tests/test_bot_app.py)."""

LIMIT = 1024 * 1024
CHUNK = 64 * 1024


def upload(url: str, size: int, chunked: bool) -> bytes:
    """Post ``size`` bytes to /profile over a raw socket, in chunks as a browser does; the whole answer."""
    parts = urlsplit(url)
    head = [
        "POST /profile HTTP/1.1",
        f"Host: {parts.netloc}",
        f"Origin: {service.SITE_ORIGIN}",
        "Content-Type: multipart/form-data; boundary=x",
        "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}",
        "Connection: close",
    ]
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        part = b'--x\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\n\r\n'
        for start in range(0, size, CHUNK):
            data = b"x" * min(CHUNK, size - start)
            data = part + data[len(part) :] if start == 0 else data  # a photo, as the form sends it
            sock.sendall(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
        if chunked:
            sock.sendall(b"0\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_browser_uploading_over_the_limit_reads_the_413_page(config, clock, bare_repo, chunked):
    app = create_app(dataclasses.replace(config, max_body_bytes=LIMIT), clock=clock, worker_idle=0.05)
    size = LIMIT * (DRAIN_FACTOR - 1)
    with service.LiveServer(app) as url:
        answer = upload(url, size, chunked)  # a reset raises ConnectionResetError or BrokenPipeError here
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert "höchstens 1 MB".encode() in answer
    assert service.branches(bare_repo) == []
