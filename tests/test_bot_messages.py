"""The validator's messages reach a German form in German, and an issue comment in both languages."""

from __future__ import annotations

import html
import re

import pytest
import test_bot_app as service
import test_bot_forms as forms
from support import REPO

from cucon.bot.issueform import IssueForm, problems_comment
from cucon.bot.messages import GERMAN, IMAGE_REASONS, both, german, in_language
from cucon.bot.submission import FieldProblem, SubmissionInvalid

bare_repo, config, clock, app, client = forms.bare_repo, forms.config, forms.clock, forms.app, forms.client
"""The service's fixtures (tests/test_bot_app.py)."""

TRANSLATED = [
    ("this field is required", "Dieses Feld ist erforderlich."),
    ("is 301 characters long; at most 280 allowed", "Ist 301 Zeichen lang; höchstens 280 sind erlaubt."),
    ("is too short; at least 3 characters", "Ist zu kurz; mindestens 3 Zeichen."),
    ("needs at least 1 entry", "Bitte mindestens 1 auswählen oder angeben."),
    ("has too many entries; at most 5", "Zu viele Einträge; höchstens 5."),
    ("'robot' is not allowed; expected one of 'person', 'group'", "'robot' ist nicht möglich; erlaubt sind: 'person', 'group'."),
    ("'xx' is not a known language code (ISO 639)", "'xx' ist kein bekannter Sprachcode (ISO 639)."),
    ("'XX' is not an ISO 3166-1 country code such as DE, GB, PL, JP", "'XX' ist kein Ländercode nach ISO 3166-1 wie DE, GB, PL, JP."),
    ("'http://x.example/' is not allowed; links must be https:// addresses", "'http://x.example/' ist nicht möglich; Links müssen mit https:// beginnen."),
    ("instagram: 'https://x.example/i' is not an address on instagram.com", "instagram: 'https://x.example/i' ist keine Adresse auf instagram.com."),
    ("'published' is after the deadline", "Die Frist ist schon vorbei: Sie liegt vor dem heutigen Tag."),
    ("unknown discipline 'musik'; did you mean 'music'?", "Unbekannt (Sparte): „musik“; meinten Sie „music“?"),
    ("unknown city 'atlantis'", "Unbekannt (Stadt): „atlantis“."),
    ("contains a bidirectional control character (U+202E) at position 6; remove it",
     "Enthält an Stelle 6 ein Zeichen, das nicht erlaubt ist (ein Steuerzeichen der Schreibrichtung (U+202E)); "
     "bitte entfernen."),
    ("contains an invisible format character (U+200B) at position 5; remove it",
     "Enthält an Stelle 5 ein unsichtbares Formatzeichen (U+200B); bitte entfernen."),
    ("contains a soft hyphen (U+00AD) at position 11; remove it", "Enthält an Stelle 11 einen bedingten Trennstrich (U+00AD); bitte entfernen."),
    ("contains a tag character (U+E0041) at position 14; remove it", "Enthält an Stelle 14 ein unsichtbares Tag-Zeichen (U+E0041); bitte entfernen."),
    ("contains an invisible filler character (U+3164) at position 1; remove it",
     "Enthält an Stelle 1 ein unsichtbares Füllzeichen (U+3164); bitte entfernen."),
    ("contains a line or paragraph separator (U+2028) at position 5; remove it",
     "Enthält an Stelle 5 einen Zeilen- oder Absatztrenner (U+2028); bitte entfernen."),
    ("has no visible letter or digit; write it in letters",
     "Enthält keinen sichtbaren Buchstaben und keine Ziffer; bitte in Buchstaben schreiben."),
    ("the image 'bomb.png' has too many pixels (900 megapixels); at most 40 megapixels allowed: scale it down",
     "Das Bild „bomb.png“ hat zu viele Pixel (900 Megapixel); höchstens 40 Megapixel sind erlaubt: bitte verkleinern."),
    ("the image 'x.gif' is an animation; use a still picture (JPEG, PNG or WebP)",
     "Das Bild „x.gif“ ist eine Animation; bitte ein unbewegtes Bild (JPEG, PNG oder WebP) verwenden."),
    ("the image 'big.jpg' is 11,000,000 bytes; at most 10 MB allowed", "Das Bild „big.jpg“ ist 11,000,000 Byte groß; höchstens 10 MB sind erlaubt."),
]  # fmt: skip
"""(message of the validator, what a German form shows), one row for each kind of pattern."""


@pytest.mark.parametrize(("english", "expected"), TRANSLATED, ids=[e[:40] for e, _ in TRANSLATED])
def test_a_message_in_german(english: str, expected: str) -> None:
    assert german(english) == expected
    assert in_language(english, "de").lang == "de"
    assert in_language(english, "en").text == english


def test_every_pattern_has_a_german_sentence_with_its_values() -> None:
    """Each German sentence uses exactly the values its pattern captures (a typo would fail here)."""
    for pattern, sentence in [*GERMAN, *IMAGE_REASONS]:
        captured = set(re.compile(pattern).groupindex)
        used = set(re.findall(r"{(\w+)}", sentence))
        assert used == captured, (pattern, sentence)


def test_an_unknown_message_stays_english_and_says_so() -> None:
    message = in_language("a message no pattern knows", "de")
    assert (message.text, message.lang) == ("a message no pattern knows", "en")


def test_an_issue_comment_gives_both_languages() -> None:
    form = IssueForm.load(REPO / ".github" / "ISSUE_TEMPLATE" / "new-call.yml")
    problems = SubmissionInvalid([FieldProblem("title", "this field is required")])
    assert "Dieses Feld ist erforderlich. / this field is required" in problems_comment(problems, form)
    assert both("a message no pattern knows") == "a message no pattern knows"


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
    response = forms.post(client, kind, forms.fill(client, clock, kind, lang="de", **changes))
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
    response = service.send(client, service.fill(client, clock, lang="de", name=name))
    assert response.status_code == 422
    error = re.search(r'<span class="error" id="err-name">([^<]*)</span>', response.text)
    assert error, response.text
    assert expected in html.unescape(error.group(1))
    assert service.branches(bare_repo) == []
