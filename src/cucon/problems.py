"""Problems found in content, and the ways they are reported."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ContentProblem:
    """One problem in one file: where it is and what is wrong, in plain words."""

    path: str = ""
    line: int = 1
    field: str = ""
    message: str = ""

    def located(self, path: str) -> ContentProblem:
        """The same problem, placed in ``path``."""
        return ContentProblem(path=path, line=self.line, field=self.field, message=self.message)

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
