"""Markdown for the reports: tables whose cells cannot break the table."""

from __future__ import annotations

from collections.abc import Iterable


def markdown_table(header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> list[str]:
    """The lines of a Markdown table, with pipes and line breaks in cells escaped.

    >>> markdown_table(("a", "b"), [("x|y", "z")])
    ['| a | b |', '| --- | --- |', '| x\\\\|y | z |']
    """

    def cells(values: tuple[str, ...]) -> str:
        escaped = (str(v).replace("|", "\\|").replace("\n", " ") for v in values)
        return "| " + " | ".join(escaped) + " |"

    return [cells(header), cells(tuple("---" for _ in header)), *(cells(row) for row in rows)]
