"""One mapping between a form and its content file, in both directions, from each field's ``key``.

A :class:`FormField` says where its value goes in the front matter (``key``); :class:`FormMap`
writes a form's values there (:meth:`FormMap.front_matter`) and reads a file's front matter back
into form values (:meth:`FormMap.form_values`). The general rules:

- a text or choice is written as it is, a list as a list, a ticked checkbox as ``true``; an empty
  value is left out, so that the validator names what is missing;
- a block (``photo``, ``links``, ``organiser`` …) is written even when empty, but for those of
  :data:`BLOCK_RULES`;
- a date field and a time field on one key are one local time, ``YYYY-MM-DD HH:MM``;
- the keys come in the order of the schema's fields; ``id`` is :data:`ID_PLACEHOLDER`.

The hooks of :data:`WRITE_HOOKS` and :data:`READ_HOOKS` are the rules that truly differ: the fee is
a number, an e-mail address to apply to is a ``mailto:`` link, countries are upper case, the
e-mail address is published only when asked to, the consent is dated and asked for anew.

What a round trip (form → file → form) normalises: the form's own tidying (:func:`cucon.text.normalise`,
one line where the schema wants one line, list items split and stripped); a country code in upper
case; a fee as its number (``12,50`` → ``12.5``); a day without a time at the time field's default;
an end time alone on the start's day; an apply address ``x@y`` back without its ``mailto:``; the
fee's currency, the event block and the image only with what they depend on; fields without a key
(and the consent, asked anew) not at all. A file read into the form and written again gives the
same front matter for the keys the form has, as the schema reads it (``fee: none`` is no fee).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import get_args

from pydantic import BaseModel

from cucon.schema import CONSENT_VERSIONS, EMAIL

ID_PLACEHOLDER = "00000000-0000-4000-8000-000000000000"
"""Stands in for the minted id in the content hash, so identical forms hash alike."""

BODY_KEY = ("(body)",)
"""The key of the field that holds the Markdown body: the validator names the body ``(body)``."""

NO_TIME = "time-needed"
"""The problem code of a day given without its time, where the time has no default."""

FormValue = str | list[str] | bool | None
"""A value of a read form: a text, a list of items, a ticked checkbox, or nothing."""


@dataclass(frozen=True)
class Choice:
    """One option of a select field: a value, its German and English names, and its names in other
    languages (``more``: pairs of language code and name).

    Names come from content (cities, disciplines, profiles) or from CLDR (languages); where they
    are None (the kinds of profile, call and news), the app's catalog names the option by ``label``.
    """

    value: str
    label: str
    de: str | None = None
    en: str | None = None
    more: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FormField:
    """One field of a form, as the app renders it and as the submission functions read it."""

    name: str
    type: str
    """text, textarea, select, multi-select, checkbox, email, url, date, time, file or hidden."""
    required: bool
    label: str
    """Key of the field's label in the app's German and English texts, e.g. ``field.name``."""
    max_length: int | None = None
    min_length: int | None = None
    max_items: int | None = None
    min_items: int | None = None
    choices: tuple[Choice, ...] = ()
    default: str | None = None
    example: str | None = None
    accept: str | None = None
    """For a file field: the media types the form offers to upload."""
    max_bytes: int | None = None
    multiline: bool = False
    """False: line breaks become spaces, because the schema wants one line."""
    key: tuple[str, ...] = ()
    """Where the value goes in the front matter (``(body)`` for the body); empty for form-only fields."""
    separator: str | None = None
    """A field that holds a list: what separates its items in one value (a multi-select is also
    sent as several values)."""
    group: str | None = None
    """Fields next to each other with the same group are shown together under its legend."""

    @property
    def takes_list(self) -> bool:
        return self.type == "multi-select" or self.separator is not None


# --- the hooks ----------------------------------------------------------------------------------


GROUPED = re.compile(r"[1-9]\d{0,2}(?:([.,' \u00a0])\d{3})(?:\1\d{3})*(?:[.,]\d{1,2})?")
"""An amount written with a separator between groups of three digits (``4.000``, ``12,500``,
``1 000 000``, ``4.000,50``): no amount of money has three decimals, so these are thousands."""


def amount(text: str | None) -> int | float | str | None:
    """A fee or award as the form gives it, as a number the YAML writes plainly (else the text, for
    the validator); a separator before three digits groups thousands, as in German "4.000 Euro".

    >>> amount("25"), amount("12,50"), amount("a lot"), amount(None)
    (25, 12.5, 'a lot', None)
    >>> amount("4.000"), amount("12,500"), amount("4.000,50"), amount("1,234.5"), amount("0.125")
    (4000, 12500, 4000.5, 1234.5, '0.125')
    """
    if text is None:
        return None
    text = text.strip()
    grouped = GROUPED.fullmatch(text)
    if grouped:
        text = text.replace(grouped.group(1), "")
    elif re.fullmatch(r"\d+[.,]\d{3,}", text):  # three decimals or more: no amount, say so
        return text
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def contact_link(text: str | None) -> str | None:
    """Where to apply: an e-mail address becomes a ``mailto:`` link; anything else stays as it is.

    >>> contact_link("info@example.org"), contact_link("https://x.example/"), contact_link(None)
    ('mailto:info@example.org', 'https://x.example/', None)
    """
    if text and ":" not in text and EMAIL.match(text):
        return f"mailto:{text}"
    return text


def contact_text(link: str) -> str:
    """What the form shows for a link to apply to: a ``mailto:`` link to an address is the address.

    >>> contact_text("mailto:info@example.org"), contact_text("mailto:a@b.org?subject=x"), contact_text("https://x/")
    ('info@example.org', 'mailto:a@b.org?subject=x', 'https://x/')
    """
    address = link.removeprefix("mailto:")
    return address if contact_link(address) == link else link


def split_when(value: str) -> tuple[str, str | None]:
    """A day and a time written in one line, as the form's date and time fields.

    >>> split_when("2027-01-31 18:00"), split_when(" 2027-01-31 "), split_when("2027-01-31T9:30")
    (('2027-01-31', '18:00'), ('2027-01-31', None), ('2027-01-31', '09:30'))
    """
    day, _, time_ = value.strip().replace("T", " ", 1).partition(" ")
    time_ = time_.strip()
    if re.fullmatch(r"\d:\d\d", time_):
        time_ = f"0{time_}"
    return day, time_ or None


@dataclass(frozen=True)
class Writing:
    """What a write hook may look at besides its value: the whole read form, the slug and the day."""

    values: Mapping[str, FormValue]
    slug: str
    today: date


WriteHook = Callable[[object, FormField, Writing], object]
ReadHook = Callable[[object, FormField], dict[str, str | list[str]]]

WRITE_HOOKS: dict[tuple[str, ...], WriteHook] = {
    ("fee", "amount"): lambda value, spec, w: amount(value),
    ("award", "amount"): lambda value, spec, w: amount(value),
    ("apply",): lambda value, spec, w: contact_link(value),
    ("open_to", "countries"): lambda value, spec, w: [code.upper() for code in value or ()],
    ("email",): lambda value, spec, w: value if w.values.get("publish_email") else None,
    ("consent", "date"): lambda value, spec, w: w.today.isoformat(),
    ("consent", "version"): lambda value, spec, w: value if value in CONSENT_VERSIONS else None,
}
"""Where writing a value differs from writing it as it is: the fee and the money offered are
numbers, an address to apply to a ``mailto:`` link, countries upper case; the e-mail address only when it is to be published;
the consent is dated today (a box left empty is the form's own problem), and its version is one of
the allow-list or nothing."""

READ_HOOKS: dict[tuple[str, ...], ReadHook] = {
    ("fee", "amount"): lambda value, spec: {spec.name: str(value)},
    ("award", "amount"): lambda value, spec: {spec.name: str(value)},
    ("apply",): lambda value, spec: {spec.name: contact_text(str(value))},
    ("email",): lambda value, spec: {spec.name: str(value), "publish_email": "on"} if value else {},
    ("consent", "date"): lambda value, spec: {},
    ("consent", "version"): lambda value, spec: {},
}
"""Where reading a value back differs: the inverses of :data:`WRITE_HOOKS` (a published address
ticks ``publish_email``; the consent is asked for anew)."""

SAME_DAY_AS = {("event", "end"): ("event", "start")}
"""A local time whose time is given without its day takes the day of another (an event's end)."""


BLOCK_RULES: dict[str, Callable[[dict, bool, Mapping[str, FormValue]], bool]] = {
    "fee": lambda block, filled, values: "amount" in block,
    "award": lambda block, filled, values: "amount" in block or "kind" in block,
    "photo": lambda block, filled, values: "file" in block,
    "image": lambda block, filled, values: "file" in block,
    "event": lambda block, filled, values: filled or values.get("kind") == "event",
}
"""When a block is written (others always are, empty too): a fee with its amount, the money offered
with its amount or kind (the validator names the other when it is missing), a photo or an
image with its file, an event for an event or when any of its fields is filled in (then empty too,
for the validator to name its missing start)."""


# --- the mapping --------------------------------------------------------------------------------


def _model_of(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    """The model of a block of a model (of ``Fee | Literal["none"]``: ``Fee``), or None."""
    annotation = model.model_fields[name].annotation
    return next(
        (t for t in (annotation, *get_args(annotation)) if isinstance(t, type) and issubclass(t, BaseModel)),
        None,
    )


def _in_schema_order(data: dict, model: type[BaseModel] | None) -> dict:
    """A mapping with its keys (and those of its blocks) in the order of the model's fields; keys the
    model does not have come last, for the validator to name."""
    order = list(model.model_fields) if model else []
    ordered = {}
    for name in sorted(data, key=lambda n: order.index(n) if n in order else len(order)):
        value = data[name]
        block = _model_of(model, name) if name in order else None
        ordered[name] = _in_schema_order(value, block) if isinstance(value, dict) else value
    return ordered


def _at(data: object, key: tuple[str, ...]) -> object:
    """The value at a key path of a front matter, or None.

    >>> _at({"fee": {"amount": 5}}, ("fee", "amount")), _at({"fee": "none"}, ("fee", "amount"))
    (5, None)
    """
    for part in key:
        data = data.get(part) if isinstance(data, dict) else None
    return data


@dataclass(frozen=True)
class FormMap:
    """The mapping of one form to the front matter of its content type, and back."""

    fields: tuple[FormField, ...]
    model: type[BaseModel]
    """The schema of the file; its field order is the order of the keys written."""
    dated: str | None = None
    """The key that takes the day of the submission (a call's ``published``, a news item's ``date``)."""

    def keys(self) -> dict[tuple[str, ...], tuple[FormField, ...]]:
        """The fields by the key they fill, in the form's order (the body and form-only fields aside)."""
        by_key: dict[tuple[str, ...], tuple[FormField, ...]] = {}
        for spec in self.fields:
            if spec.key and spec.key != BODY_KEY:
                by_key[spec.key] = (*by_key.get(spec.key, ()), spec)
        return by_key

    def front_matter(
        self, values: Mapping[str, FormValue], slug: str, today: date
    ) -> tuple[dict, list[tuple[str, str]]]:
        """The front matter of a read form, and the problems found writing it (field name, problem code).

        An upload is written as ``<slug>.jpg`` when it is required or ``values["<name>_file"]`` says
        it was sent (the caller keeps a published photo's own name on an update).
        """
        writing = Writing(values, slug, today)
        problems: list[tuple[str, str]] = []
        data: dict = {"id": ID_PLACEHOLDER}
        if self.dated:
            data[self.dated] = today.isoformat()
        filled: dict[str, bool] = {}
        for key, specs in self.keys().items():
            value = self._write(specs, writing, problems)
            if len(key) > 1:
                block = data.setdefault(key[0], {})
                filled[key[0]] = filled.get(key[0], False) or any(values.get(s.name) for s in specs)
            else:
                block = data
            if value is not None and value != []:
                block[key[-1]] = value
        for name, is_filled in filled.items():
            rule = BLOCK_RULES.get(name)
            if rule is not None and not rule(data[name], is_filled, values):
                del data[name]
        return _in_schema_order(data, self.model), problems

    def _write(
        self, specs: tuple[FormField, ...], writing: Writing, problems: list[tuple[str, str]]
    ) -> object:
        """The value of the fields of one key: a local time of a date and a time field, else one field's."""
        values = writing.values
        if len(specs) > 1:
            day, time_ = (next(s for s in specs if s.type == kind) for kind in ("date", "time"))
            return self._when(day, time_, values, problems)
        spec = specs[0]
        if spec.type == "file":
            value = f"{writing.slug}.jpg" if values.get(f"{spec.name}_file") or spec.required else None
        elif spec.type == "checkbox":
            value = True if values.get(spec.name) else None
        else:
            value = values.get(spec.name) or None
        hook = WRITE_HOOKS.get(spec.key)
        return hook(value, spec, writing) if hook else value

    def _when(
        self,
        day: FormField,
        time_: FormField,
        values: Mapping[str, FormValue],
        problems: list[tuple[str, str]],
    ) -> str | None:
        """A local time ``YYYY-MM-DD HH:MM`` from a day and a time; a day without a time takes the
        time field's default, or is a problem on the time field."""
        on, at = values.get(day.name), values.get(time_.name) or time_.default
        if not on and values.get(time_.name) and day.key in SAME_DAY_AS:
            on = values.get(self.keys()[SAME_DAY_AS[day.key]][0].name)
        if not on:
            return None
        if at is None:  # the problem is the time's; midnight keeps the validator from naming the day
            problems.append((time_.name, NO_TIME))
            at = "00:00"
        return f"{on} {at}"

    def keep_unshown(self, published: Mapping, data: dict) -> dict:
        """``data`` with the keys of ``published`` that the form does not show, at the top and in the
        blocks it writes (an update keeps a photo's focus, or a key staff set that the form has no
        field for), in the schema's order.

        >>> from cucon.schema import Photo
        >>> alt = FormField("alt", "text", True, "a", key=("alt",))
        >>> FormMap((alt,), Photo).keep_unshown({"alt": "old", "focus": {"x": 0.2}}, {"alt": "new"})
        {'alt': 'new', 'focus': {'x': 0.2}}
        """
        shown = self.keys()
        kept = dict(data)
        for name, value in published.items():
            inner = {key[1] for key in shown if len(key) > 1 and key[0] == name}
            if (name,) in shown or (name in kept and not inner):
                continue
            if not inner:
                kept[name] = value
            elif isinstance(value, dict) and isinstance(kept.get(name), dict):
                kept[name] = {**{k: v for k, v in value.items() if k not in inner}, **kept[name]}
        return _in_schema_order(kept, self.model)

    def form_values(self, data: Mapping, body: str = "") -> dict[str, str | list[str]]:
        """The form's values from a file's front matter and body (uploads and the consent aside)."""
        values: dict[str, str | list[str]] = {}
        for key in self.keys():
            value = _at(data, key)
            if value is not None:
                values |= self.values_at(key, value)
        text = body.strip()
        body_field = next((spec for spec in self.fields if spec.key == BODY_KEY), None)
        if text and body_field is not None:
            values[body_field.name] = text
        return values

    def values_at(self, key: tuple[str, ...], value: object) -> dict[str, str | list[str]]:
        """The form values that one value of the front matter (at ``key``) gives.

        >>> from cucon.schema import Call
        >>> day, at = FormField("day", "date", True, "d", key=("deadline",)), FormField("at", "time", False, "t", key=("deadline",))
        >>> FormMap((day, at), Call).values_at(("deadline",), "2027-01-31 18:00")
        {'day': '2027-01-31', 'at': '18:00'}
        """
        specs = self.keys()[key]
        spec = specs[0]
        if isinstance(value, dict) or isinstance(value, list) != spec.takes_list:
            return {}  # a block, or a list where one value belongs (or the other way round): nothing
        if len(specs) > 1:
            day, time_ = (next(s for s in specs if s.type == kind) for kind in ("date", "time"))
            on, at = split_when(str(value))
            return {day.name: on} | ({time_.name: at} if at is not None else {})
        hook = READ_HOOKS.get(key)
        if hook is not None:
            return hook(value, spec)
        if spec.type == "file":
            return {}
        if spec.type == "checkbox":
            return {spec.name: "on"} if value is True else {}
        if isinstance(value, list):
            items = [str(item) for item in value]
            return {spec.name: items if spec.type == "multi-select" else str(spec.separator).join(items)}
        text = str(value)
        return {spec.name: text} if text else {}
