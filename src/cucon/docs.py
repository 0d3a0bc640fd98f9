"""Reference tables of the content model, generated from the schema so the docs never drift."""

from __future__ import annotations

import re
import typing
from pathlib import Path

from pydantic import BaseModel

from cucon import schema

BEGIN = "<!-- BEGIN GENERATED: cucon schema -->"
END = "<!-- END GENERATED: cucon schema -->"

VALUE_TYPES = {
    "PermanentId": "a lower-case UUID, minted once by `cucon new`; never changes",
    "Slug": "`^[a-z0-9-]{1,80}$`: the file name of the item referred to, without its suffix",
    "Name": "one line of text, at most 120 characters",
    "Title": "one line of text, at most 150 characters",
    "Summary": "one line of text, at most 280 characters",
    "AltText": "one line, 3 to 300 characters: what the picture shows",
    "LongText": "text, at most 1,000 characters",
    "Language": "an ISO 639 language code such as `de`, `en`, `pl`, `ja`",
    "Country": "an ISO 3166-1 alpha-2 code such as `DE`, `NO` (a string, never a boolean)",
    "Currency": "an ISO 4217 code such as `EUR`",
    "Timezone": "an IANA timezone such as `Europe/Berlin`",
    "Date": "`YYYY-MM-DD`",
    "LocalDateTime": "`YYYY-MM-DD HH:MM`, 24-hour local time in the item's timezone",
    "HttpsUrl": "an `https://` address",
    "ContactLink": "an `https://` address or `mailto:name@example.org`",
    "Email": "an e-mail address",
    "Address": "one line of text, at most 200 characters",
    "ImageFile": "a `.jpg`, `.png` or `.webp` file name beside the item",
    "Translated": "texts by language: `de` and `en` required, other languages optional",
    "TranslatedName": "names by language: `de` and `en` required, other languages optional",
    "Offers": "a list of at most 12 terms of what people offer and seek (a repeated one counts once): "
    + ", ".join(f"`{term}`" for term in schema.OFFERS),
}
"""Every named value type of schema.py, in words."""

DOC_MODELS = {
    "City — `content/cities/<slug>.yaml`": schema.City,
    "Network — `content/networks/<slug>.yaml`": schema.Network,
    "Disciplines — `content/disciplines.yaml`": schema.Disciplines,
    "Profile — `content/profiles/<slug>.md`": schema.Profile,
    "Profile translation": schema.ProfileTranslation,
    "Call — `content/calls/<slug>.md`": schema.Call,
    "Call translation": schema.CallTranslation,
    "News — `content/news/<slug>.md`": schema.News,
    "News translation": schema.NewsTranslation,
    "Page — `content/pages/<slug>.md`": schema.Page,
    "Removed — `content/removed.yaml`": schema.Removed,
}


def _raw_annotations(model: type[BaseModel]) -> dict[str, str]:
    """Field annotations as written in schema.py (strings), including inherited ones."""
    found: dict[str, str] = {}
    for klass in reversed(model.__mro__):
        found.update(getattr(klass, "__annotations__", {}))
    return {name: str(found[name]) for name in model.model_fields}


def readable_type(annotation: str) -> str:
    """A type as written in schema.py, in words.

    >>> readable_type("list[Slug]"), readable_type("Name | None"), readable_type('Literal["none"] | Fee')
    ('list of Slug', 'Name', '`none` or Fee')
    """
    text = annotation.removesuffix(" | None")
    alias = getattr(schema, text, None)
    if typing.get_origin(alias) is typing.Literal:
        return " \\| ".join(f"`{value}`" for value in typing.get_args(alias))
    text = re.sub(r"list\[(\w+)\]", r"list of \1", text)
    text = re.sub(r'Literal\["(\w+)"\]', r"`\1`", text)
    return text.replace(" | ", " or ")


def _model_table(model: type[BaseModel]) -> list[str]:
    """A Markdown table of a model's fields, then the tables of the models it contains."""
    lines = [model.__doc__.strip(), "", "| field | type | required |", "|---|---|---|"]
    nested = []
    for name, annotation in _raw_annotations(model).items():
        required = "yes" if model.model_fields[name].is_required() else "no"
        lines.append(f"| `{name}` | {readable_type(annotation)} | {required} |")
        for word in re.findall(r"\w+", annotation):
            candidate = getattr(schema, word, None)
            if isinstance(candidate, type) and issubclass(candidate, BaseModel) and candidate not in nested:
                nested.append(candidate)
    lines.append("")
    for sub in nested:
        lines += [f"**{sub.__name__}**", "", *_model_table(sub)]
    return lines


def _aliases() -> list[str]:
    """What the named value types of schema.py accept."""
    rows = ["### Value types", "", "| type | what it accepts |", "|---|---|"]
    for name, meaning in VALUE_TYPES.items():
        rows.append(f"| {name} | {meaning} |")
    return [*rows, ""]


def generated_reference() -> str:
    """The generated part of docs/content-model.md."""
    lines = [BEGIN, "", *_aliases()]
    for title, model in DOC_MODELS.items():
        lines += [f"### {title}", "", *_model_table(model)]
    lines.append(END)
    return "\n".join(lines)


def update_content_model_doc(path: Path) -> bool:
    """Rewrite the generated part of the doc; True when it changed."""
    text = path.read_text("utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    updated = text[:start] + generated_reference() + text[end:]
    if updated != text:
        path.write_text(updated, "utf-8")
    return updated != text
