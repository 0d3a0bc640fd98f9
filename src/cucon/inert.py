"""A stranger's text made inert where staff read it: commit messages, pull requests, comments, summaries.

What a contributor types (a name, a title, a key of a content file, a validator message that quotes
a value) reaches staff through texts CuCon writes. Each kind of text has its own rule, and a value
goes into such a text only through the rule of its kind:

- **Markdown** (a pull request's body, a comment on an issue, a job summary): :func:`code` puts the
  value on one line into an inline code span. GitHub renders a code span's text literally: no
  HTML (no ``<img>`` tracking pixel), no Markdown link or image, no autolinked address, no
  mention, no issue reference (so no closing keyword), no emphasis; and a value on one line
  cannot start a heading, a list item, a table or a checkbox of its own, so a line such as
  "✅ **E-mail verified**" stays visibly the stranger's text. The fence is one backtick longer
  than the longest run of backticks in the value, so no backtick ends it early. Dependabot wraps
  mentions in code spans too; Renovate relies on code spans and breaks the rest with zero-width
  spaces, as :func:`plain` does. In a table cell the pipes still need escaping
  (:func:`cucon.review.markdown.markdown_table` does it).
- **Plain text that GitHub and CI still read** (a commit message, a pull request's title):
  :func:`plain` puts the value on one line (so it adds no line and no trailer such as
  ``skip-checks: true``) and breaks with a zero-width space (U+200B) what GitHub or a CI would act
  on: mentions (``@user``, ``@org/team``), issue references (``#12``, ``owner/repo#12``, ``GH-12``,
  and with them closing keywords), addresses (``https://…``, ``www.…``, which GitHub links and
  which close issues too), the skip instructions (``[skip ci]``, ``[ci skip]``, ``[no ci]``,
  ``[skip actions]``, ``[actions skip]``, in any case) and ``skip-checks``. The text reads the same.
- **Workflow-command annotations** (``cucon check --format github``) have an escaping of their own:
  :meth:`cucon.problems.ContentProblem.format_github`.

Both rules also turn control characters and line breaks into spaces, and show bidirectional
controls (which would reorder the text after them, even CuCon's own words) as U+FFFD.
"""

from __future__ import annotations

import re

BREAK = "\u200b"
"""ZERO WIDTH SPACE: invisible, and ends any name, number or keyword GitHub would read through it."""

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ACTIVE = re.compile(
    r"(?P<after>[@＠﹫#＃﹟\[［]|GH-(?=\d)|:(?=//)|www(?=\.)|skip-(?=checks))",
    re.IGNORECASE,
)
"""Where :func:`plain` puts a break: after the at sign, the number sign and the opening bracket (and
their full-width and small look-alikes), after ``GH-`` before a number, between ``:`` and ``//``,
after ``www`` before a dot, and after ``skip-`` in ``skip-checks``."""


def one_line(value: object) -> str:
    """A value's text on one line: control characters and line breaks become spaces, runs of blanks
    one space, bidirectional controls a visible U+FFFD.

    >>> one_line("Erika\\r\\n\\u2028skip-checks:\\ttrue "), one_line("a\\u202eb"), one_line(None)
    ('Erika skip-checks: true', 'a\\ufffdb', 'None')
    """
    text = _BIDI.sub("\ufffd", _CONTROL.sub(" ", str(value)))
    return " ".join(text.split())


def code(value: object) -> str:
    """A value as an inline Markdown code span on one line, shown literally however it is written.

    >>> print(code("Erika @org/staff closes #2"), code("<img src=https://evil.example/p.png>"))
    `Erika @org/staff closes #2` `<img src=https://evil.example/p.png>`
    >>> print(code("a ` b `` c"), code("`x`"), code("✅ **verified**\\n## x"))
    ```a ` b `` c``` `` `x` `` `✅ **verified** ## x`
    >>> code(""), code("  ")
    ('` `', '` `')
    """
    text = one_line(value)
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text[:1] == "`" or text[-1:] == "`" else ""
    return f"{fence}{pad}{text or ' '}{pad}{fence}"


def plain(value: object, limit: int | None = None) -> str:
    """A value for a commit message or a pull request's title: one line, with a zero-width space
    after each character GitHub or a CI would start to read a mention, a reference, an address or
    a skip instruction with; at most ``limit`` characters (cut with "…").

    >>> shown = plain("Erika @org/staff closes #2 [skip ci] https://evil.example GH-7 www.x.example")
    >>> shown.replace(BREAK, "|")
    'Erika @|org/staff closes #|2 [|skip ci] https:|//evil.example GH-|7 www|.x.example'
    >>> shown.replace(BREAK, "") == "Erika @org/staff closes #2 [skip ci] https://evil.example GH-7 www.x.example"
    True
    >>> plain("Konzert\\n\\nskip-checks: true").replace(BREAK, "|"), plain("abcdef", limit=4)
    ('Konzert skip-|checks: true', 'abc…')
    """
    text = _ACTIVE.sub(rf"\g<after>{BREAK}", one_line(value))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text
