"""The one mapping between a form and its file (src/cucon/bot/formmap.py), in both directions.

For each of the three forms: form values → file → form values gives the same values back
(Hypothesis builds the forms), and every sample file of that kind in content/ read into the form and
written again gives the same front matter, as the schema reads it. Table rows pin the hook rules.
"""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import REPO

from cucon.bot.formmap import NO_TIME, FormField
from cucon.bot.submission import CALL, NEWS, PROFILE, FieldProblem, FormKind, _read_form, _tidy, markdown_file
from cucon.frontmatter import read_document

TODAY = dt.date(2026, 11, 27)
SETTINGS = settings(
    derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
KINDS = {kind.name: kind for kind in (PROFILE, CALL, NEWS)}

LETTERS = string.ascii_letters + string.digits + "äöüßÄÖÜéèçñłśżóąęńźćŁŚŻ 'ąü-&/()+,!?"
"""What the generated texts are made of (no dot: see the report on YAML 1.2 floats)."""


def written(kind: FormKind, form: dict, uploaded: bool = False) -> tuple[dict, list[FieldProblem], dict, str]:
    """The front matter a posted form gives, the problems, the read values, and the file's body."""
    read = _read_form(form, kind.fields)
    if kind.image:
        read.values[f"{kind.image}_file"] = uploaded
    data, problems = kind.form_map.front_matter(read.values, "a-slug", TODAY)
    text = read.text(kind.body)
    document = read_document(markdown_file(data, f"\n{text}\n" if text else "").decode(), with_body=True)
    assert document.data == data  # the YAML holds what was written
    return data, [FieldProblem.of(*p) for p in problems], read.values, document.body


# --- form → file → form ---------------------------------------------------------------------------


def _texts(multiline: bool, blacklist: str = "") -> st.SearchStrategy[str]:
    alphabet = "".join(c for c in LETTERS + ("\n" if multiline else "") if c not in blacklist)
    return st.text(alphabet, min_size=1, max_size=30).map(lambda t: _tidy(t, multiline)).filter(bool)


def _field_value(spec: FormField) -> st.SearchStrategy:
    """A value the form could hold for a field, as the form's own tidying leaves it."""
    if spec.name in ("fee_amount", "award_amount"):
        return st.one_of(
            st.integers(1, 10**6).map(str), st.builds("{}.{}".format, st.integers(0, 999), st.integers(1, 9))
        )
    if spec.name == "apply":
        return st.one_of(
            st.just("info@example.org"),
            st.just("https://example.org/apply"),
            st.just("mailto:a@b.org?subject=x"),
        )
    if spec.type == "date":
        return st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)).map(dt.date.isoformat)
    if spec.type == "time":
        return st.times().map(lambda t: t.strftime("%H:%M"))
    if spec.type == "checkbox":
        return st.just("on")
    if spec.takes_list:
        items = _texts(False, blacklist=str(spec.separator)).map(str.strip).filter(bool)
        if spec.name == "open_to_countries":
            items = items.map(str.upper)
        return st.lists(items, min_size=1, max_size=4).map(
            lambda v: v if spec.type == "multi-select" else spec.separator.join(v)
        )
    return _texts(spec.multiline)


@st.composite
def posted_forms(draw, kind: FormKind) -> tuple[dict, bool]:
    """A posted form whose every keyed value survives the round trip unchanged (the normalising rules
    have their own rows below), and whether its upload was sent."""
    form = {}
    for spec in kind.fields:
        if spec.key and spec.type != "file" and draw(st.booleans()):
            form[spec.name] = draw(_field_value(spec))
    for when in ("deadline", "event_start", "event_end"):  # a day and its time come together
        if f"{when}_date" in form or f"{when}_time" in form:
            form[f"{when}_date"] = draw(_field_value(FormField("d", "date", False, "d")))
            form[f"{when}_time"] = draw(_field_value(FormField("t", "time", False, "t")))
    if "fee_currency" in form and "fee_amount" not in form:
        del form["fee_currency"]
    if "award_currency" in form and not {"award_amount", "award_kind"} & form.keys():
        del form["award_currency"]
    if form.get("email"):
        form["publish_email"] = "on"
    uploaded = kind.image is not None and (kind.field_of(kind.image).required or draw(st.booleans()))
    if not uploaded:
        form = {name: value for name, value in form.items() if not name.startswith(f"{kind.image}_")}
    return form, uploaded


def _round_trip(kind: FormKind, form: dict, uploaded: bool) -> None:
    data, problems, before, body = written(kind, form, uploaded)
    assert problems == []
    after = _read_form(kind.form_map.form_values(data, body) | _asked_anew(form), kind.fields).values
    compared = [spec.name for spec in kind.fields if spec.key and spec.type != "file"]
    assert {n: after.get(n) for n in compared} == {n: before.get(n) for n in compared}


def _asked_anew(form: dict) -> dict:
    """The consent, which the form asks for anew and the mapping does not read back."""
    return {name: form[name] for name in ("consent", "consent_version") if name in form}


@pytest.mark.parametrize("kind", KINDS.values(), ids=KINDS)
@settings(SETTINGS, max_examples=150)
@given(data=st.data())
def test_form_to_file_to_form_gives_the_same_values(kind, data):
    _round_trip(kind, *data.draw(posted_forms(kind)))


# --- file → form → file ---------------------------------------------------------------------------


def _covered(data: dict, keys: set[tuple[str, ...]], prefix: tuple[str, ...] = ()) -> dict:
    """The part of a front matter at the keys a form fills (a block that is not a mapping as it is)."""
    kept = {}
    for name, value in data.items():
        path = (*prefix, name)
        if path in keys:
            kept[name] = value
        elif any(key[: len(path)] == path for key in keys):
            kept[name] = _covered(value, keys, path) if isinstance(value, dict) else value
    return kept


def _samples(kind: FormKind) -> list[Path]:
    folder = REPO / kind.folder
    return sorted(p for p in folder.glob("*.md") if "translation_of" not in p.read_text("utf-8"))


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        pytest.param(kind, path, id=f"{kind.name}-{path.stem}")
        for kind in KINDS.values()
        for path in _samples(kind)
    ],
)
def test_a_sample_file_read_into_the_form_and_written_again_is_the_same(kind, path):
    document = read_document(path.read_text("utf-8"), with_body=True)
    original = document.data
    posted = kind.form_map.form_values(original, document.body)
    consent = original.get("consent") or {}
    posted |= {"consent": "on", "consent_version": str(consent.get("version", ""))}  # as the file answered
    day = dt.date.fromisoformat(str(original.get(kind.dated) or consent.get("date")))
    read = _read_form(posted, kind.fields)
    if kind.image:
        read.values[f"{kind.image}_file"] = kind.image in original
    data, problems = kind.form_map.front_matter(read.values, path.stem, day)
    assert problems == []
    assert read.problems == []
    assert read_document(markdown_file(data, "").decode(), with_body=True).data == data
    keys = {*kind.form_map.keys(), ("id",), (kind.dated,)}
    same = [
        kind.model.model_validate(d | {"id": original["id"]}).model_dump(mode="json")
        for d in (original, data)
    ]
    assert _covered(same[1], keys) == _covered(same[0], keys)
    assert (read.values.get(kind.body) or "") == document.body.strip()


def test_every_kind_has_sample_files():
    assert all(len(_samples(kind)) >= 3 for kind in KINDS.values())


# --- the hook rules -------------------------------------------------------------------------------

ABSENT = object()

HOOK_ROWS = [
    # form, path, value written, form values read back
    ("call", {"fee_amount": "12,50", "fee_currency": "EUR"}, ("fee",), {"amount": 12.5, "currency": "EUR"},
     {"fee_amount": "12.5", "fee_currency": "EUR"}),
    ("call", {"fee_amount": "25"}, ("fee",), {"amount": 25}, {"fee_amount": "25"}),
    ("call", {"fee_amount": "a lot"}, ("fee", "amount"), "a lot", {"fee_amount": "a lot"}),
    ("call", {"fee_currency": "EUR"}, ("fee",), ABSENT, {}),
    ("call", {"award_amount": "4.000", "award_currency": "EUR", "award_kind": "fee"}, ("award",),
     {"amount": 4000, "currency": "EUR", "kind": "fee"},
     {"award_amount": "4000", "award_currency": "EUR", "award_kind": "fee"}),
    ("call", {"award_amount": "4.000,50"}, ("award", "amount"), 4000.5, {"award_amount": "4000.5"}),
    ("call", {"award_amount": "0.125"}, ("award", "amount"), "0.125", {"award_amount": "0.125"}),
    ("call", {"award_kind": "prize"}, ("award",), {"kind": "prize"}, {"award_kind": "prize"}),
    ("call", {"award_currency": "EUR"}, ("award",), ABSENT, {}),
    ("call", {"apply": "info@example.org"}, ("apply",), "mailto:info@example.org", {"apply": "info@example.org"}),
    ("call", {"apply": "mailto:a@b.org?subject=x"}, ("apply",), "mailto:a@b.org?subject=x",
     {"apply": "mailto:a@b.org?subject=x"}),
    ("call", {"apply": "https://x.example/"}, ("apply",), "https://x.example/", {"apply": "https://x.example/"}),
    ("call", {"open_to_countries": "de, pl"}, ("open_to", "countries"), ["DE", "PL"], {"open_to_countries": "DE,PL"}),
    ("call", {"open_to_everyone": "on"}, ("open_to", "everyone"), True, {"open_to_everyone": "on"}),
    ("call", {"open_to_everyone": ""}, ("open_to",), {}, {}),
    ("call", {}, ("organiser",), {}, {}),
    ("call", {"deadline_date": "2027-01-31"}, ("deadline",), "2027-01-31 23:59",
     {"deadline_date": "2027-01-31", "deadline_time": "23:59"}),
    ("call", {"deadline_date": "2027-01-31", "deadline_time": "12:00"}, ("deadline",), "2027-01-31 12:00",
     {"deadline_date": "2027-01-31", "deadline_time": "12:00"}),
    ("call", {"deadline_time": "12:00"}, ("deadline",), ABSENT, {}),
    ("call", {}, ("published",), "2026-11-27", {}),
    ("call", {"email": "a@example.org", "consent": "on", "consent_version": "1"}, ("email",), ABSENT, {}),
    ("call", {"consent": "on"}, ("consent",), ABSENT, {}),
    ("news", {"event_start_date": "2027-01-31", "event_start_time": "19:00", "event_end_time": "21:00"},
     ("event",), {"start": "2027-01-31 19:00", "end": "2027-01-31 21:00"},
     {"event_start_date": "2027-01-31", "event_start_time": "19:00", "event_end_date": "2027-01-31",
      "event_end_time": "21:00"}),
    ("news", {"kind": "event"}, ("event",), {}, {"kind": "event"}),
    ("news", {"kind": "news", "event_start_time": "19:00"}, ("event",), {}, {"kind": "news"}),
    ("news", {"kind": "news"}, ("event",), ABSENT, {"kind": "news"}),
    ("news", {"image_alt": "A tree"}, ("image",), ABSENT, {}),
    ("news", {}, ("date",), "2026-11-27", {}),
    ("profile", {"email": "a@example.org"}, ("email",), ABSENT, {}),
    ("profile", {"email": "a@example.org", "publish_email": "on"}, ("email",), "a@example.org",
     {"email": "a@example.org", "publish_email": "on"}),
    ("profile", {"consent": "on", "consent_version": "1"}, ("consent",), {"date": "2026-11-27", "version": "1"}, {}),
    ("profile", {"consent": "on", "consent_version": "99"}, ("consent",), {"date": "2026-11-27"}, {}),
    ("profile", {}, ("links",), {}, {}),
    ("profile", {"other_links": "https://a.example/\n\nhttps://b.example/"}, ("links", "other"),
     ["https://a.example/", "https://b.example/"], {"other_links": "https://a.example/\nhttps://b.example/"}),
    ("profile", {"photo_alt": "A cello"}, ("photo",), {"file": "a-slug.jpg", "alt": "A cello"}, {"photo_alt": "A cello"}),
    ("profile", {"cities": "hannover,leipzig"}, ("cities",), ["hannover", "leipzig"],
     {"cities": ["hannover", "leipzig"]}),
    ("profile", {"cities": ""}, ("cities",), ABSENT, {}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "form", "path", "value", "back"), HOOK_ROWS, ids=lambda v: v if isinstance(v, str) else None
)
def test_hook_rules(kind, form, path, value, back):
    data, problems, _, _ = written(KINDS[kind], form)
    assert problems == []
    at = data
    for part in path:
        at = at.get(part, ABSENT) if isinstance(at, dict) else ABSENT
    assert at == value
    assert KINDS[kind].form_map.form_values(data, "") == back


@pytest.mark.parametrize(
    ("kind", "form", "field"),
    [
        ("news", {"event_start_date": "2027-01-31"}, "event_start_time"),
        ("news", {"event_start_date": "2027-01-31", "event_start_time": "19:00", "event_end_date": "2027-01-31"},
         "event_end_time"),
    ],
)  # fmt: skip
def test_a_day_without_its_time_is_a_problem_of_the_time_and_midnight_in_the_file(kind, form, field):
    data, problems, _, _ = written(KINDS[kind], form)
    assert problems == [FieldProblem.of(field, NO_TIME)]
    assert data["event"][field.removeprefix("event_").removesuffix("_time")].endswith(" 00:00")


@pytest.mark.parametrize("kind", KINDS.values(), ids=KINDS)
def test_the_keys_come_in_the_order_of_the_schema(kind):
    form = {spec.name: "x" for spec in kind.fields if spec.type not in ("file", "checkbox")}
    data, _, _, _ = written(
        kind, form | {"kind": "event", "fee_amount": "5", "publish_email": "on"}, uploaded=True
    )
    order = list(kind.model.model_fields)
    assert list(data) == sorted(data, key=order.index)
    assert next(iter(data)) == "id"


@pytest.mark.parametrize(
    ("value", "back"),
    [
        ({"cities": "hannover"}, {}),  # a list where one was a text: nothing, not the text
        ({"name": ["a", "b"]}, {}),
        ({"name": {"de": "x"}}, {}),
        ({"name": 5}, {"name": "5"}),
        ({"open_to": {"everyone": "yes"}}, {}),  # only true ticks a box
        ({"fee": "none"}, {}),
        ({"photo": "x.jpg"}, {}),
        ({"email": ["a@b.org"]}, {}),
        ({"deadline": ["2027-01-31 18:00"]}, {}),
        ({"apply": {"mailto": "x"}}, {}),
        ({"deadline": "2027-01-31T9:30"}, {"deadline_date": "2027-01-31", "deadline_time": "09:30"}),
    ],
)
def test_odd_values_of_a_file_read_back(value, back):
    kind = CALL if {"fee", "deadline", "open_to"} & value.keys() else PROFILE
    assert kind.form_map.form_values(value, "") == back
