"""Safe YAML and front-matter reading that remembers the line of every key."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from cucon.problems import ContentProblem


class StrictSafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader with YAML 1.2 scalars: no yes/no/on/off booleans, timestamps, octal or base-60.

    ``country: NO`` stays the string ``"NO"`` and dates stay strings, so the schema
    parses them with one set of rules and reports their lines. Parsing runs in libyaml (C)
    where PyYAML has it; only the safe constructor ever builds values.
    """


# Drop the YAML 1.1 implicit resolvers for bool, int, float and timestamp; add plain 1.2 ones back.
_REPLACED = {f"tag:yaml.org,2002:{name}" for name in ("bool", "int", "float", "timestamp")}
StrictSafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _REPLACED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictSafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
StrictSafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
StrictSafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


class QuotingSafeDumper(yaml.SafeDumper):
    """SafeDumper that quotes every string a YAML 1.1 or 1.2 reader would read as something else.

    PyYAML's SafeDumper quotes by YAML 1.1's rules only, so it wrote the name ``1.5e3`` plain, and
    :class:`StrictSafeLoader` (YAML 1.2) read it back as the number 1500.0; ``1e3`` and ``0o17`` are
    numbers to YAML 1.2 readers too. The 1.2 core schema's resolvers are added to 1.1's.
    """


QuotingSafeDumper.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)
QuotingSafeDumper.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:0o[0-7]+|0x[0-9a-fA-F]+)$"), list("0")
)


def dump_yaml(data: object, width: int = 100) -> str:
    """YAML text of ``data`` that reads back as the same values: a string that looks like a number, a
    date, a boolean or null is quoted.

    >>> print(dump_yaml({"name": "1.5e3", "other": "1e3", "n": 1500.0, "on": "yes", "day": "2026-01-01"}), end="")
    name: '1.5e3'
    other: '1e3'
    n: 1500.0
    'on': 'yes'
    day: '2026-01-01'
    """
    return yaml.dump(data, Dumper=QuotingSafeDumper, allow_unicode=True, sort_keys=False, width=width)


FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:\r?\n)?^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)

LinePath = tuple[str | int, ...]


@dataclass
class Document:
    """A parsed file: its data, its Markdown body and the line of every key path."""

    data: dict
    body: str = ""
    body_line: int = 1
    lines: dict[LinePath, int] = field(default_factory=dict)

    def line_of(self, path: LinePath) -> int:
        """Line of the longest known prefix of ``path`` (1 when nothing matches)."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1


def _record_lines(node: yaml.Node, path: LinePath, lines: dict[LinePath, int], offset: int):
    """Walk a composed YAML node tree and note the line where each key path starts."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, key_node.value)
            lines[child] = key_node.start_mark.line + 1 + offset
            _record_lines(value_node, child, lines, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines[child] = item.start_mark.line + 1 + offset
            _record_lines(item, child, lines, offset)


YAML_PROBLEMS = {
    "did not find expected ',' or ']'": "yaml-open-list",
    "did not find expected ',' or '}'": "yaml-open-braces",
    "mapping values are not allowed": "yaml-colon",
    "found character that cannot start any token": "yaml-bad-character",
    "found a tab character": "yaml-bad-character",
    "found unexpected end of stream": "yaml-open-quote",
    "did not find expected key": "yaml-expected-key",
    "could not find expected ':'": "yaml-no-colon",
}
"""The problem code of each message of the YAML parser people meet, by its start: a plain sentence."""

CONTEXT_FIRST = ("while parsing a flow", "while scanning a quoted scalar", "while scanning a simple key")
"""Parser contexts whose start (where a list, a quote or a key begins) is the place to fix."""


def _yaml_error(exc: yaml.YAMLError, offset: int, text: str) -> ContentProblem:
    """Turn a PyYAML error into a plain sentence at a line and column, showing that line.

    >>> try:
    ...     parse_yaml("name: Anna\\ncities: [hannover\\nkind: person\\n")
    ... except Exception as error:
    ...     print(error.problems[0].format_text())
    :2: (yaml): a list opened with '[' is not closed with ']', or its entries are not separated by commas (column 9 of the line: cities: [hannover)
    """
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context = getattr(exc, "context_mark", None)
    if (
        context
        and mark
        and (mark.line >= text.count("\n") or str(exc.context or "").startswith(CONTEXT_FIRST))
    ):
        # Where the broken construct began (an unclosed list or quote, say) is the line to fix.
        mark = context
    line = mark.line + 1 + offset if mark else 1
    if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in str(exc.problem):
        tag = str(exc.problem).split("tag ", 1)[-1].strip("'")
        tag = tag.replace("tag:yaml.org,2002:", "!!")
        return ContentProblem.of("", line, "(yaml)", "yaml-tag", tag=tag)
    problem = str(getattr(exc, "problem", None) or exc)
    rows = text.splitlines()
    shown = rows[mark.line].rstrip()[:120] if mark and mark.line < len(rows) else ""
    where = {"column": mark.column + 1 if mark else 1, "text": shown}
    code = next((code for start, code in YAML_PROBLEMS.items() if problem.startswith(start)), None)
    if code:
        return ContentProblem.of("", line, "(yaml)", code, **where)
    return ContentProblem.of("", line, "(yaml)", "invalid-yaml", problem=problem, **where)


def _refuse_anchors(text: str, offset: int) -> None:
    """Raise a problem at the first anchor or alias, before anything is composed.

    Content never needs them, and nested aliases (a "billion laughs") turn a few hundred bytes
    into billions of values for every later step. The scan reads libyaml's events: linear time.

    >>> _refuse_anchors("a: 1\\nb: [2]\\n", 0)
    >>> _refuse_anchors("a: &x 1\\nb: *x\\n", 0)
    Traceback (most recent call last):
    cucon.problems.ContentError: 1 content problem(s):
    :1: (yaml): YAML anchors and aliases (&name, *name) are not allowed; write each value out
    """
    for event in yaml.parse(text, Loader=StrictSafeLoader):
        if getattr(event, "anchor", None) is not None:
            line = event.start_mark.line + 1 + offset
            raise ContentProblem.of("", line, "(yaml)", "yaml-anchors").as_error()


def parse_yaml(text: str, offset: int = 0) -> tuple[object, dict[LinePath, int]]:
    """Parse YAML safely and return the data and the line of every key path; anchors and aliases are refused.

    >>> parse_yaml("country: NO\\nwhen: 2026-01-31\\nzip: 017\\nlat: 52.37\\nyear: 1947\\n")[0]
    {'country': 'NO', 'when': '2026-01-31', 'zip': '017', 'lat': 52.37, 'year': 1947}
    >>> parse_yaml("a:\\n  b: 1\\n")[1][("a", "b")]
    2
    """
    try:
        _refuse_anchors(text, offset)
        loader = StrictSafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, offset, text).as_error() from None
    lines: dict[LinePath, int] = {}
    if node is not None:
        _record_lines(node, (), lines, offset)
    return data, lines


def read_document(text: str, with_body: bool) -> Document:
    """Read a Markdown file with YAML front matter, or (``with_body=False``) a YAML file."""
    if not with_body:
        data, lines = parse_yaml(text)
        body, body_line = "", 1
    else:
        match = FRONT_MATTER.match(text)
        if not match:
            raise ContentProblem.of("", 1, "(front matter)", "no-front-matter").as_error()
        data, lines = parse_yaml(match.group(1), offset=1)
        body = text[match.end() :]
        body_line = text.count("\n", 0, match.end()) + 1
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ContentProblem.of("", 1, "(yaml)", "not-key-value-pairs").as_error()
    return Document(data=data, body=body, body_line=body_line, lines=lines)
