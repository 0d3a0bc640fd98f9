"""Form posts read as UTF-8 only: a text field whose bytes are not UTF-8 is reported, never guessed.

Starlette's parsers decode a multipart part that is not valid in its charset as Latin-1, follow a
``charset`` parameter of the request's Content-Type, and turn invalid bytes of an urlencoded post
into U+FFFD. :func:`read_form` parses the same way with the same limits, but keeps a text field only
when its bytes are valid UTF-8; the names of the others are returned, so that the form can say so at
each of them. A field name or file name that is not UTF-8, or a charset other than UTF-8, makes the
whole post unreadable (:class:`NotUtf8` with ``field=None``).
"""

from __future__ import annotations

import codecs
from contextlib import aclosing
from urllib.parse import unquote_to_bytes

from python_multipart.multipart import parse_options_header
from starlette.datastructures import FormData
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.requests import Request


class NotUtf8(ValueError):
    """A post's field name, file name or declared charset is not UTF-8."""


def utf8(data: bytes) -> str:
    """``data`` decoded as UTF-8; :class:`UnicodeDecodeError` for anything else.

    >>> utf8("Łukasiewicz 😀".encode())
    'Łukasiewicz 😀'
    >>> utf8("Łukasiewicz".encode("cp1250"))
    Traceback (most recent call last):
    ...
    UnicodeDecodeError: 'utf-8' codec can't decode byte 0xa3 in position 0: invalid start byte
    """
    return bytes(data).decode("utf-8")


def _utf8_name(data: bytes) -> str:
    """A field or file name as UTF-8, else :class:`NotUtf8`."""
    try:
        return utf8(data)
    except UnicodeDecodeError:
        raise NotUtf8("a field or file name is not UTF-8") from None


class _Utf8MultiPart(MultiPartParser):
    """Starlette's multipart parser, decoding names and text parts as strict UTF-8."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.not_utf8: list[str] = []

    def on_part_end(self) -> None:
        part = self._current_part
        if part.file is not None:
            return super().on_part_end()
        try:
            self.items.append((part.field_name, utf8(part.data)))
        except UnicodeDecodeError:
            self.not_utf8.append(part.field_name)

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._current_part.content_disposition)
        for key in (b"name", b"filename"):
            if key in options:
                _utf8_name(options[key])
        super().on_headers_finished()


class _Utf8UrlEncoded(FormParser):
    """Starlette's parser of urlencoded posts, decoding names and values as strict UTF-8."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.not_utf8: list[str] = []

    def on_field_end(self) -> None:
        self._current_fields += 1
        if self._current_fields > self.max_fields:
            raise MultiPartException(f"Too many fields. Maximum number of fields is {self.max_fields}.")
        name = _utf8_name(unquote_to_bytes(bytes(self._field_name).replace(b"+", b" ")))
        try:
            self._items.append((name, utf8(unquote_to_bytes(bytes(self._field_value).replace(b"+", b" ")))))
        except UnicodeDecodeError:
            self.not_utf8.append(name)


async def read_form(
    request: Request, *, max_files: int, max_fields: int, max_part_size: int
) -> tuple[FormData, list[str]]:
    """The post's form without its non-UTF-8 text fields, and those fields' names.

    Raises :class:`NotUtf8` for a name or charset that is not UTF-8, and starlette's
    :class:`~starlette.formparsers.MultiPartException` for a post that is not a readable form.
    """
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    charset = params.get(b"charset", b"utf-8").decode("latin-1")
    try:
        if codecs.lookup(charset).name != "utf-8":
            raise NotUtf8(f"the post declares the charset {charset!r}")
    except LookupError:
        raise NotUtf8(f"the post declares the charset {charset!r}") from None
    limits = {"max_fields": max_fields, "max_part_size": max_part_size}
    if content_type == b"multipart/form-data":
        parser: _Utf8MultiPart | _Utf8UrlEncoded = _Utf8MultiPart(
            request.headers, request.stream(), max_files=max_files, **limits
        )
    elif content_type == b"application/x-www-form-urlencoded":
        parser = _Utf8UrlEncoded(request.headers, request.stream(), **limits)
    else:
        raise MultiPartException("the post is not a form")
    async with aclosing(parser.stream):
        form = await parser.parse()
    return form, parser.not_utf8
