"""The validator's messages reach a German form in German, and an issue comment in both languages."""

from __future__ import annotations

import html
import re

import pytest
from support import (
    CALL_BAD,
    NEWS_BAD,
    REPO,
    TODAY,
    branches,
    call_form,
    fill,
    fill_form,
    news_form,
    post,
    send,
)

from cucon import catalog
from cucon.bot.issueform import IssueForm, problems_comment
from cucon.bot.messages import Message, both, in_language
from cucon.bot.submission import FieldProblem, SubmissionInvalid, call_submission, news_submission
from cucon.catalog import translations
from cucon.codes import ENGLISH
from cucon.problems import ContentProblem, Term

TRANSLATED = [
    ("required", {}, "this field is required", "Dieses Feld ist erforderlich."),
    ("too-long", {"length": 301, "limit": 280}, "is 301 characters long; at most 280 allowed",
     "Ist 301 Zeichen lang; höchstens 280 sind erlaubt."),
    ("too-short", {"limit": 3}, "is too short; at least 3 characters", "Ist zu kurz; mindestens 3 Zeichen."),
    ("needs-an-entry", {"limit": 1}, "needs at least 1 entry", "Bitte mindestens 1 auswählen oder angeben."),
    ("too-many-entries", {"limit": 5}, "has too many entries; at most 5", "Zu viele Einträge; höchstens 5."),
    ("not-one-of", {"value": "'robot'", "expected": "'person', 'group'"},
     "'robot' is not allowed; expected one of 'person', 'group'", "'robot' ist nicht möglich; erlaubt sind: 'person', 'group'."),
    ("unknown-language", {"value": "'xx'"}, "'xx' is not a known language code (ISO 639)",
     "'xx' ist kein bekannter Sprachcode (ISO 639)."),
    ("unknown-country", {"value": "'XX'"}, "'XX' is not an ISO 3166-1 country code such as DE, GB, PL, JP",
     "'XX' ist kein Ländercode nach ISO 3166-1 wie DE, GB, PL, JP."),
    ("not-https", {"value": "'http://x.example/'"}, "'http://x.example/' is not allowed; links must be https:// addresses",
     "'http://x.example/' ist nicht möglich; Links müssen mit https:// beginnen."),
    ("wrong-platform", {"platform": "instagram", "value": "'https://x.example/i'", "host": "instagram.com"},
     "instagram: 'https://x.example/i' is not an address on instagram.com",
     "instagram: 'https://x.example/i' ist keine Adresse auf instagram.com."),
    ("link-in-wrong-field", {"platform": "instagram", "value": "'https://facebook.com/m'", "right": "facebook"},
     "'https://facebook.com/m' belongs in the 'facebook' field, not in 'instagram'",
     "'https://facebook.com/m' gehört in das Feld „facebook“, nicht in „instagram“."),
    ("address-in-summary", {"value": "'www.m.example'"},
     "the short description must not contain a web address ('www.m.example'); links have their own fields",
     "Die Kurzbeschreibung darf keine Webadresse enthalten ('www.m.example'); Links haben eigene Felder."),
    ("published-after-deadline", {}, "'published' is after the deadline",
     "Die Frist ist schon vorbei: Sie liegt vor dem heutigen Tag."),
    ("unknown-reference-close", {"thing": Term("term-discipline"), "value": "musik", "close": "music"},
     "unknown discipline 'musik'; did you mean 'music'?", "Unbekannt (Sparte): „musik“; meinten Sie „music“?"),
    ("unknown-reference", {"thing": Term("term-city"), "value": "atlantis"}, "unknown city 'atlantis'",
     "Unbekannt (Stadt): „atlantis“."),
    ("bidi-control", {"code_point": "U+202E", "position": 6},
     "contains a bidirectional control character (U+202E) at position 6; remove it",
     "Enthält an Stelle 6 ein Zeichen, das nicht erlaubt ist (ein Steuerzeichen der Schreibrichtung (U+202E)); "
     "bitte entfernen."),
    ("format-character", {"code_point": "U+200B", "position": 5},
     "contains an invisible format character (U+200B) at position 5; remove it",
     "Enthält an Stelle 5 ein unsichtbares Formatzeichen (U+200B); bitte entfernen."),
    ("soft-hyphen", {"code_point": "U+00AD", "position": 11}, "contains a soft hyphen (U+00AD) at position 11; remove it",
     "Enthält an Stelle 11 einen bedingten Trennstrich (U+00AD); bitte entfernen."),
    ("tag-character", {"code_point": "U+E0041", "position": 14},
     "contains a tag character (U+E0041) at position 14; remove it",
     "Enthält an Stelle 14 ein unsichtbares Tag-Zeichen (U+E0041); bitte entfernen."),
    ("filler-character", {"code_point": "U+3164", "position": 1},
     "contains an invisible filler character (U+3164) at position 1; remove it",
     "Enthält an Stelle 1 ein unsichtbares Füllzeichen (U+3164); bitte entfernen."),
    ("line-separator", {"code_point": "U+2028", "position": 5},
     "contains a line or paragraph separator (U+2028) at position 5; remove it",
     "Enthält an Stelle 5 einen Zeilen- oder Absatztrenner (U+2028); bitte entfernen."),
    ("no-visible-letter", {}, "has no visible letter or digit; write it in letters",
     "Enthält keinen sichtbaren Buchstaben und keine Ziffer; bitte in Buchstaben schreiben."),
    ("image-too-many-pixels", {"name": "bomb.png", "megapixels": 900.0},
     "the image 'bomb.png' has too many pixels (900 megapixels); at most 40 megapixels allowed: scale it down",
     "Das Bild „bomb.png“ hat zu viele Pixel (900 Megapixel); höchstens 40 Megapixel sind erlaubt: bitte verkleinern."),
    ("image-animated", {"name": "x.gif"}, "the image 'x.gif' is an animation; use a still picture (JPEG, PNG or WebP)",
     "Das Bild „x.gif“ ist eine Animation; bitte ein unbewegtes Bild (JPEG, PNG oder WebP) verwenden."),
    ("image-too-large", {"name": "big.jpg", "size": 11_000_000},
     "the image 'big.jpg' is 11,000,000 bytes; at most 10 MB allowed",
     "Das Bild „big.jpg“ ist 11,000,000 Byte groß; höchstens 10 MB sind erlaubt."),
    ("image-not-a-photo", {"name": "a.svg", "what": Term("format-svg")},
     "the image 'a.svg' is an SVG drawing, not a photo; CuCon accepts JPEG, PNG and WebP only: export it as JPEG or PNG",
     "Das Bild „a.svg“ ist kein Foto (eine SVG-Zeichnung); CuCon nimmt nur JPEG, PNG und WebP an: bitte als JPEG oder "
     "PNG exportieren."),
]  # fmt: skip
"""(code, values, the validator's English sentence, what a German form shows), one row for each kind of sentence."""


@pytest.mark.parametrize(
    ("code", "values", "english", "expected"), TRANSLATED, ids=[row[0] for row in TRANSLATED]
)
def test_a_problem_in_german(code: str, values: dict, english: str, expected: str) -> None:
    problem = ContentProblem.of("a.md", 1, "name", code, **values)
    assert problem.message == english  # the English sentence (cucon check, CI) is what it was
    assert in_language(problem, "de") == Message(expected, "de")
    assert in_language(problem, "en") == Message(english, "en")


def test_an_untranslated_problem_stays_english_and_says_so(monkeypatch, tmp_path) -> None:
    """A code a language's catalog leaves empty or fuzzy is shown in English, and says so."""
    problem = ContentProblem.of("a.md", 1, "name", "invalid-value", detail="Input should be a valid integer")
    assert in_language(problem, "de") == Message("Input should be a valid integer", "en")
    po = tmp_path / "eo" / "LC_MESSAGES" / "cucon.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgctxt "required"\nmsgid "this field is required"\nmsgstr "Ĉi tiu kampo estas bezonata."\n\n'
        '#, fuzzy\nmsgctxt "empty"\nmsgid "must not be empty"\nmsgstr "ne estu malplena"\n\n'
        'msgctxt "not-text"\nmsgid "expected text"\nmsgstr ""\n',
        "utf-8",
    )
    monkeypatch.setattr(catalog, "LOCALE", tmp_path)
    translations.cache_clear()
    try:
        said = {
            code: in_language(ContentProblem.of("", 1, "x", code), "eo")
            for code in ("required", "empty", "not-text")
        }
    finally:
        monkeypatch.undo()
        translations.cache_clear()
    assert said == {
        "required": Message("Ĉi tiu kampo estas bezonata.", "eo"),
        "empty": Message("must not be empty", "en"),
        "not-text": Message("expected text", "en"),
    }


def test_a_stale_translation_is_not_shown(monkeypatch) -> None:
    """A German entry whose msgid is not the current English template (not updated yet) counts as
    untranslated: the sentence is shown in English rather than in an outdated German."""
    monkeypatch.setitem(ENGLISH, "required", "this field must be filled in")
    translations.cache_clear()
    try:
        problem = ContentProblem.of("", 1, "title", "required")
        assert in_language(problem, "de") == Message("this field must be filled in", "en")
    finally:
        monkeypatch.undo()
        translations.cache_clear()


def test_an_issue_comment_gives_both_languages() -> None:
    form = IssueForm.load(REPO / ".github" / "ISSUE_TEMPLATE" / "new-call.yml")
    problems = SubmissionInvalid([FieldProblem.of("title", "required")])
    assert "Dieses Feld ist erforderlich. / this field is required" in problems_comment(problems, form)
    untranslated = ContentProblem.of("", 1, "x", "invalid-value", detail="a message no catalog knows")
    assert both(untranslated) == "a message no catalog knows"


@pytest.fixture
def reworded(monkeypatch):
    """Every English template reworded so that it names other form fields first, as a careless edit might."""
    for code, template in list(ENGLISH.items()):
        if not code.startswith(("term-", "format-")):
            monkeypatch.setitem(
                ENGLISH, code, f"title: cities, deadline, end, organiser and kind: {template}"
            )
    translations.cache_clear()
    yield
    monkeypatch.undo()
    translations.cache_clear()


@pytest.mark.parametrize(("changes", "field", "words"), [pytest.param(*c[1:], id=c[0]) for c in CALL_BAD])
def test_rewording_a_template_keeps_a_call_problem_at_its_field(
    root, reworded, changes, field, words
) -> None:
    """The field comes from the problem's field path and code, never from its sentence."""
    with pytest.raises(SubmissionInvalid) as caught:
        call_submission(call_form(**changes), root, TODAY)
    assert {p.field for p in caught.value.problems} == {field}, caught.value.problems
    assert all(p.message.startswith("title: cities, deadline") for p in caught.value.problems)


@pytest.mark.parametrize(
    ("changes", "image", "field", "words"),
    [pytest.param(*c[1:], id=c[0]) for c in NEWS_BAD if c[2] is None],
)
def test_rewording_a_template_keeps_a_news_problem_at_its_field(
    root, reworded, changes, image, field, words
) -> None:
    with pytest.raises(SubmissionInvalid) as caught:
        news_submission(news_form(**changes), None, None, root, TODAY)
    assert {p.field for p in caught.value.problems} == {field}, caught.value.problems
    assert all(p.message.startswith("title: cities, deadline") for p in caught.value.problems)


@pytest.mark.parametrize(
    ("kind", "changes", "field", "expected"),
    [
        ("call", {"cities": ["lipsk"]}, "cities", "Unbekannt (Stadt): „lipsk“"),
        ("news", {"event_start_time": ""}, "event_start_time", "Bitte auch die Uhrzeit angeben"),
    ],
)
def test_a_german_form_shows_the_error_in_german(
    client, clock, bare_repo, kind, changes, field, expected
) -> None:
    response = post(client, kind, fill_form(client, clock, kind, lang="de", **changes))
    assert response.status_code == 422
    error = re.search(rf'<span class="error" id="err-{field}">([^<]*)</span>', response.text)
    assert error, response.text
    # The span carries no lang attribute: the message is in the page's language.
    assert expected in html.unescape(error.group(1))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("\u3164", "Enthält an Stelle 1 ein unsichtbares Füllzeichen (U+3164)"),
        ("Anna\u200bKowalska", "Enthält an Stelle 5 ein unsichtbares Formatzeichen (U+200B)"),
        ("Anna\u200e Kowalska", "Enthält an Stelle 5 ein unsichtbares Formatzeichen (U+200E)"),
        ("Anna Kowalska\u200f", "Enthält an Stelle 14 ein unsichtbares Formatzeichen (U+200F)"),
        ("Anna Kowalska\U000e0041", "Enthält an Stelle 14 ein unsichtbares Tag-Zeichen (U+E0041)"),
        ("Anna Kowal\u00adska", "Enthält an Stelle 11 einen bedingten Trennstrich (U+00AD)"),
        ("★ ★", "Enthält keinen sichtbaren Buchstaben und keine Ziffer"),
    ],
    ids=["hangul-filler", "zero-width-space", "lrm", "rlm", "tag", "soft-hyphen", "no-letter"],
)
def test_a_german_profile_form_refuses_an_invisible_name(client, clock, bare_repo, name, expected) -> None:
    """422 with the German message at the name field, and no branch."""
    response = send(client, fill(client, clock, lang="de", name=name))
    assert response.status_code == 422
    error = re.search(r'<span class="error" id="err-name">([^<]*)</span>', response.text)
    assert error, response.text
    assert expected in html.unescape(error.group(1))
    assert branches(bare_repo) == []


SPOOFED = [
    ("link that reads as a choice", {"apply": "http://a.example/ is not allowed; expected one of the sponsor accounts: "
     "pay 50 EUR to DE00 1234"}, "apply", "' ist nicht möglich; bitte eine https://-Adresse oder eine E-Mail-Adresse angeben."),
    ("e-mail that reads as a choice", {"email": "x' is not allowed; expected one of 'a', 'b"}, "email",
     '" ist keine E-Mail-Adresse.'),
]  # fmt: skip
"""(case, form values, field, how the German sentence ends): a typed value that quotes another message's
words. Parsing the English sentence, the bot once said in German what the value dictated ("… ist nicht
möglich; erlaubt sind: the sponsor accounts: pay …"); the sentence now comes from the problem's code."""


@pytest.mark.parametrize(("changes", "field", "ending"), [pytest.param(*c[1:], id=c[0]) for c in SPOOFED])
def test_a_typed_value_does_not_choose_the_sentence(root, changes, field, ending) -> None:
    with pytest.raises(SubmissionInvalid) as caught:
        call_submission(call_form(**changes), root, TODAY)
    [problem] = caught.value.problems
    german = in_language(problem, "de")
    assert (problem.field, german.lang) == (field, "de")
    assert german.text.endswith(ending), german.text
    assert "erlaubt sind" not in german.text
