"""Problems found in content, and the ways they are reported."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from string import Formatter

from cucon.codes import ENGLISH


class Term(str):
    """A value that is a word of the catalogs, by its code (``Term("term-city")``): it is put in the
    sentence's language."""

    __slots__ = ()


def fill(template: str, values: Mapping[str, object], word: Callable[[str], str]) -> str:
    """A template filled with values, each :class:`Term` given by ``word``.

    >>> fill("unknown {thing} '{value}'", {"thing": Term("term-city"), "value": "x"}, ENGLISH.__getitem__)
    "unknown city 'x'"
    """
    return template.format_map({k: word(v) if isinstance(v, Term) else v for k, v in values.items()})


def english(code: str, values: Mapping[str, object]) -> str:
    """The English sentence of a code with its values.

    >>> english("too-long", {"length": 130, "limit": 120})
    'is 130 characters long; at most 120 allowed'
    """
    return fill(ENGLISH[code], values, ENGLISH.__getitem__)


ENGLISH_ONLY = frozenset({"detail"})
"""Values that are a library's own English words (a decoder's "image file is truncated"): a translation
may leave them out rather than mix languages in one sentence."""


def placeholders(template: str) -> set[str]:
    """The placeholders of a template, conversion and format included.

    >>> sorted(placeholders("{value!r} is {size:,} and {{filename}}"))
    ['{size:,}', '{value!r}']
    """
    return {
        "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        for _, name, spec, conversion in Formatter().parse(template)
        if name is not None
    }


@dataclasses.dataclass(frozen=True, order=True)
class ContentProblem:
    """One problem in one file: where it is and what is wrong, in plain words.

    ``code`` names the kind of problem (:data:`cucon.codes.ENGLISH`) and ``values`` fill its sentence:
    :meth:`of` renders ``message``, the English sentence; :mod:`cucon.catalog` gives it in other languages.
    """

    path: str = ""
    line: int = 1
    field: str = ""
    message: str = ""
    code: str = ""
    values: Mapping[str, object] = dataclasses.field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def of(cls, path: str, line: int, field: str, code: str, /, **values: object) -> ContentProblem:
        """A problem of a kind, its English sentence filled with its values.

        >>> ContentProblem.of("a.md", 3, "name", "too-short", limit=3).format_text()
        'a.md:3: name: is too short; at least 3 characters'
        """
        return cls(path, line, field, english(code, values), code, values)

    def located(self, path: str) -> ContentProblem:
        """The same problem, placed in ``path``."""
        return dataclasses.replace(self, path=path)

    def as_error(self) -> ContentError:
        """Wrap this single problem in an exception."""
        return ContentError([self])

    def format_text(self) -> str:
        """``path:line: field: message``, the format editors and humans read.

        >>> ContentProblem("content/a.md", 3, "cities[0]", "unknown city").format_text()
        'content/a.md:3: cities[0]: unknown city'
        """
        return f"{self.path}:{self.line}: {self.field}: {self.message}"

    def format_github(self) -> str:
        """A GitHub Actions workflow command that annotates the line in a pull request.

        >>> ContentProblem("a.md", 2, "name", "50% wrong\\nhere").format_github()
        '::error file=a.md,line=2,title=name::50%25 wrong%0Ahere'
        """

        def escape(value: str, prop: bool = False) -> str:
            value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            if prop:
                value = value.replace(":", "%3A").replace(",", "%2C")
            return value

        return (
            f"::error file={escape(self.path, True)},line={self.line},"
            f"title={escape(self.field, True)}::{escape(self.message)}"
        )

    def as_dict(self) -> dict:
        """A plain dict for JSON output."""
        return {"path": self.path, "line": self.line, "field": self.field, "message": self.message}


class ContentError(Exception):
    """Raised when content has problems; carries all of them."""

    exitcode = 1

    def __init__(self, problems: list[ContentProblem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        summary = "\n".join(p.format_text() for p in self.problems[:500])
        more = f"\n… and {count - 500} more (run `cucon check` for all)" if count > 500 else ""
        super().__init__(f"{count} content problem(s):\n{summary}{more}")


def format_problems(problems: list[ContentProblem], fmt: str) -> str:
    """Render problems as ``text``, ``github`` annotations or ``json``."""
    if fmt == "json":
        return json.dumps([p.as_dict() for p in sorted(problems)], ensure_ascii=False, indent=2)
    render = ContentProblem.format_github if fmt == "github" else ContentProblem.format_text
    return "\n".join(render(p) for p in sorted(problems))
