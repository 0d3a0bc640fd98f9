"""The validator's messages in German, for the forms and issue comments of the submission service.

The validator (:mod:`cucon.schema`, :mod:`cucon.content`, :mod:`cucon.checks`,
:mod:`cucon.images`) and the form checks of :mod:`cucon.bot.submission` speak English, as CI's
annotations do. A German form shows each message in German: :data:`GERMAN` matches the
English message with a pattern and fills a German sentence with the same values (the values
themselves, such as a file name or an entered text, stay as they were). A message no pattern
knows is shown in English, marked ``lang="en"``; ``tests/test_bot_messages.py`` makes every
message the forms can produce pass through a pattern, so none is left in English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

THINGS = {"city": "Stadt", "discipline": "Sparte", "profile": "Profil", "network": "Netzwerk"}
"""German names of what a reference names, in 'unknown city …'."""

IMAGE_REASONS: list[tuple[str, str]] = [
    (
        r"has too many pixels(?: \((?P<mp>[\d,.]+) megapixels\))?; at most 40 megapixels allowed: scale it down",
        "hat zu viele Pixel{mp}; höchstens 40 Megapixel sind erlaubt: bitte verkleinern",
    ),
    (
        r"is (?P<w>[\d,]+) × (?P<h>[\d,]+) pixels \((?P<mp>[\d,.]+) megapixels\); at most 40 megapixels allowed: "
        r"scale it down",
        "hat {w} × {h} Pixel ({mp} Megapixel); höchstens 40 Megapixel sind erlaubt: bitte verkleinern",
    ),
    (
        r"is a damaged or incomplete (?P<kind>\w+); export it again",
        "ist eine beschädigte oder unvollständige {kind}-Datei; bitte neu exportieren",
    ),
    (
        r"is (?P<what>.+), not a photo; CuCon accepts JPEG, PNG and WebP only: export it as JPEG or PNG",
        "ist kein Foto ({what}); CuCon nimmt nur JPEG, PNG und WebP an: bitte als JPEG oder PNG exportieren",
    ),
    (
        r"is damaged and cannot be read \(.*\); export it again",  # the decoder's English words: left out
        "ist beschädigt und nicht lesbar; bitte neu exportieren",
    ),
    (
        r"is damaged or incomplete \(.*\); export it again",
        "ist beschädigt oder unvollständig; bitte neu exportieren",
    ),
    (
        r"is (?P<format>\w+); CuCon accepts JPEG, PNG and WebP only",
        "ist im Format {format}; CuCon nimmt nur JPEG, PNG und WebP an",
    ),
    (
        r"is an animation; use a still picture \(JPEG, PNG or WebP\)",
        "ist eine Animation; bitte ein unbewegtes Bild (JPEG, PNG oder WebP) verwenden",
    ),
    (
        r"is (?P<bytes>[\d,]+) bytes; at most 10 MB allowed",
        "ist {bytes} Byte groß; höchstens 10 MB sind erlaubt",
    ),
    (r"is empty", "ist leer"),
]
"""Why an image is refused (after "the image 'NAME' …"), and the same in German."""

FRAGMENTS: dict[str, str] = {
    # what an upload is instead of a photo (cucon.images.describe_format)
    "a GIF": "ein GIF",
    "an EPS/PostScript file": "eine EPS-/PostScript-Datei",
    "a PDF document": "ein PDF-Dokument",
    "a ZIP archive (or an Office document)": "ein ZIP-Archiv (oder ein Office-Dokument)",
    "a BMP bitmap": "eine BMP-Bitmap",
    "a TIFF": "ein TIFF",
    "an icon (ICO)": "ein Icon (ICO)",
    "a Photoshop file (PSD)": "eine Photoshop-Datei (PSD)",
    "a HEIC photo (iPhone)": "ein HEIC-Foto (iPhone)",
    "an AVIF image": "ein AVIF-Bild",
    "a video or ISO media file": "ein Video oder eine ISO-Mediendatei",
    "an SVG drawing": "eine SVG-Zeichnung",
    "an HTML page": "eine HTML-Seite",
    "an XML or HTML file": "eine XML- oder HTML-Datei",
    "a text file": "eine Textdatei",
    "not a picture CuCon can read": "kein Bild, das CuCon lesen kann",
    # a forbidden character (cucon.text._describe), before its code point
    "a control character": "ein Steuerzeichen",
    "a bidirectional control character": "ein Steuerzeichen der Schreibrichtung",
    "a line or paragraph separator": "ein Zeilen- oder Absatztrenner",
    "an invisible filler character": "ein unsichtbares Füllzeichen",
    "a tag character": "ein unsichtbares Tag-Zeichen",
    "a soft hyphen": "ein bedingter Trennstrich",
    "an invisible format character": "ein unsichtbares Formatzeichen",
}
"""English words the validator puts inside its messages (``what``), in German: a message whose
``what`` is not here stays English as a whole, never half German."""
_CODE_POINT = re.compile(r"(?P<words>.+?)(?P<code> \(U\+[0-9A-F]+\))?")


def _fragment(words: str) -> str | None:
    """The German of an English fragment, a code point in brackets kept; None if unknown.

    >>> _fragment("an SVG drawing"), _fragment("a control character (U+008E)"), _fragment("a kettle")
    ('eine SVG-Zeichnung', 'ein Steuerzeichen (U+008E)', None)
    """
    found = _CODE_POINT.fullmatch(words)
    german_words = FRAGMENTS.get(found["words"]) if found else None
    return None if german_words is None else german_words + (found["code"] or "")


GERMAN: list[tuple[str, str]] = [
    # Every value of the schema
    (r"this field is required", "Dieses Feld ist erforderlich."),
    (
        r"this text was not sent as UTF-8 and cannot be read; please type it again",
        "Dieser Text kam nicht als UTF-8 an und ist nicht lesbar; bitte noch einmal eingeben.",
    ),
    (r"must not be empty", "Darf nicht leer sein."),
    (r"expected text", "Hier gehört ein Text hin."),
    (r"must be a single line", "Muss in einer Zeile stehen."),
    (
        r"is (?P<n>[\d,]+) characters long; at most (?P<m>[\d,]+) allowed",
        "Ist {n} Zeichen lang; höchstens {m} sind erlaubt.",
    ),
    (r"is too short; at least (?P<m>\d+) characters", "Ist zu kurz; mindestens {m} Zeichen."),
    (
        r"contains an invisible format character \((?P<code>U\+[0-9A-F]+)\) at position (?P<pos>\d+); remove it",
        "Enthält an Stelle {pos} ein unsichtbares Formatzeichen ({code}); bitte entfernen.",
    ),
    (
        r"contains a soft hyphen \((?P<code>U\+[0-9A-F]+)\) at position (?P<pos>\d+); remove it",
        "Enthält an Stelle {pos} einen bedingten Trennstrich ({code}); bitte entfernen.",
    ),
    (
        r"contains a tag character \((?P<code>U\+[0-9A-F]+)\) at position (?P<pos>\d+); remove it",
        "Enthält an Stelle {pos} ein unsichtbares Tag-Zeichen ({code}); bitte entfernen.",
    ),
    (
        r"contains an invisible filler character \((?P<code>U\+[0-9A-F]+)\) at position (?P<pos>\d+); remove it",
        "Enthält an Stelle {pos} ein unsichtbares Füllzeichen ({code}); bitte entfernen.",
    ),
    (
        r"contains a line or paragraph separator \((?P<code>U\+[0-9A-F]+)\) at position (?P<pos>\d+); remove it",
        "Enthält an Stelle {pos} einen Zeilen- oder Absatztrenner ({code}); bitte entfernen.",
    ),
    (
        r"has no visible letter or digit; write it in letters",
        "Enthält keinen sichtbaren Buchstaben und keine Ziffer; bitte in Buchstaben schreiben.",
    ),
    (
        r"contains (?P<what>.+) at position (?P<pos>\d+); remove it",
        "Enthält an Stelle {pos} ein Zeichen, das nicht erlaubt ist ({what}); bitte entfernen.",
    ),
    (
        r"contains (?P<what>.+); remove it",
        "Enthält ein Zeichen, das nicht erlaubt ist ({what}); bitte entfernen.",
    ),
    (r"needs at least (?P<n>\d+) entr(?:y|ies)", "Bitte mindestens {n} auswählen oder angeben."),
    (r"has too many entries; at most (?P<n>\d+)", "Zu viele Einträge; höchstens {n}."),
    (
        r"(?P<v>.+) is not allowed; expected one of (?P<choices>.+)",
        "{v} ist nicht möglich; erlaubt sind: {choices}.",
    ),
    (
        r"(?P<v>.+) is not a language code; use ISO 639, e\.g\. de, en, pl, ja",
        "{v} ist kein Sprachcode; bitte ISO 639 verwenden, z. B. de, en, pl, ja.",
    ),
    (r"(?P<v>.+) is not a known language code \(ISO 639\)", "{v} ist kein bekannter Sprachcode (ISO 639)."),
    (
        r"(?P<v>.+) is not an ISO 3166-1 country code such as DE, GB, PL, JP",
        "{v} ist kein Ländercode nach ISO 3166-1 wie DE, GB, PL, JP.",
    ),
    (
        r"(?P<v>.+) is not an ISO 4217 currency code such as EUR, GBP, PLN",
        "{v} ist kein Währungscode nach ISO 4217 wie EUR, GBP, PLN.",
    ),
    (
        r"(?P<v>.+) is not an IANA timezone such as Europe/Berlin, Asia/Tokyo",
        "{v} ist keine Zeitzone wie Europe/Berlin oder Asia/Tokyo.",
    ),
    (
        r"(?P<v>.+) is not a date; write it as YYYY-MM-DD, e\.g\. 2026-12-31",
        "{v} ist kein Datum; bitte als JJJJ-MM-TT schreiben, z. B. 2026-12-31.",
    ),
    (
        r"(?P<v>.+) is not a date and time; write it as YYYY-MM-DD HH:MM in 24-hour time, .*",
        "{v} ist keine Angabe von Datum und Uhrzeit; bitte als JJJJ-MM-TT HH:MM in 24-Stunden-Zeit schreiben, z. B. 2026-12-31 23:59.",
    ),
    (
        r"(?P<v>.+) is not allowed; links must be https:// addresses",
        "{v} ist nicht möglich; Links müssen mit https:// beginnen.",
    ),
    (r"a link must not contain spaces", "Ein Link darf keine Leerzeichen enthalten."),
    (r"(?P<v>.+) is not an e-mail address", "{v} ist keine E-Mail-Adresse."),
    (
        r"(?P<v>.+) is not allowed; write an https:// address or mailto:name@example\.org",
        "{v} ist nicht möglich; bitte eine https://-Adresse oder eine E-Mail-Adresse angeben.",
    ),
    (
        r"(?P<platform>\w+): (?P<v>.+) is not an address on (?P<host>\S+)",
        "{platform}: {v} ist keine Adresse auf {host}.",
    ),
    # Rules between values
    (
        r"give either 'profile' \(a profile's slug\) or 'name', not both",
        "Bitte entweder ein Profil auswählen oder einen Namen angeben, nicht beides.",
    ),
    (
        r"write 'everyone: true', or list 'cities' and/or 'countries'",
        "Bitte „alle“ wählen, oder Städte und/oder Länder angeben.",
    ),
    (r"'end' is before 'start'", "Das Ende liegt vor dem Beginn."),
    (r"'published' is after the deadline", "Die Frist ist schon vorbei: Sie liegt vor dem heutigen Tag."),
    (r"'updated' is before 'published'", "Die letzte Änderung liegt vor der Veröffentlichung."),
    (r"'opens' is after the deadline", "Der Beginn der Bewerbungszeit liegt nach der Frist."),
    (r"'results' is before the deadline", "Die Ergebnisse liegen vor der Frist."),
    (
        r"an event needs an 'event' block with at least 'start'",
        "Eine Veranstaltung braucht mindestens einen Beginn (Tag und Uhrzeit).",
    ),
    (
        r"a cooperation report names at least two cities",
        "Ein Bericht über eine Kooperation nennt mindestens zwei Städte.",
    ),
    (r"'updated' is before 'date'", "Die letzte Änderung liegt vor dem Datum."),
    # References between files
    (
        r"unknown (?P<thing>city|discipline|profile|network) '(?P<v>[^']*)'; did you mean '(?P<close>[^']*)'\?",
        "Unbekannt ({thing}): „{v}“; meinten Sie „{close}“?",
    ),
    (r"unknown (?P<thing>city|discipline|profile|network) '(?P<v>[^']*)'", "Unbekannt ({thing}): „{v}“."),
    # The form's own checks (cucon.bot.submission, cucon.bot.app)
    (r"give one value only", "Bitte nur einen Wert angeben."),
    (
        r"please agree to the consent text; without it nothing can be published",
        "Bitte stimmen Sie der Einwilligung zu; ohne sie kann nichts veröffentlicht werden.",
    ),
    (
        r"give the e-mail address to publish",
        "Bitte die E-Mail-Adresse angeben, die veröffentlicht werden soll.",
    ),
    (
        r"a photo is required: a JPEG, PNG or WebP picture",
        "Ein Foto ist erforderlich: ein Bild im Format JPEG, PNG oder WebP.",
    ),
    (r"give the time too, e\.g\. 19:30", "Bitte auch die Uhrzeit angeben, z. B. 19:30."),
    (
        r"is not a version of the consent text; load the form again and send it once more",
        "Ist keine Version des Einwilligungstextes; bitte das Formular neu laden und noch einmal senden.",
    ),
    (
        r"give your e-mail address: the link that confirms your proposal is sent there",
        "Bitte geben Sie Ihre E-Mail-Adresse an: Dorthin geht der Link, mit dem Sie Ihren Vorschlag bestätigen.",
    ),
    # A body the build's renderer cannot render within its budget (cucon.markup)
    (
        r"takes more than (?P<s>[\d.]+) s to render; simplify its structure \(deeply nested quotes, lists, links or HTML tags, or long runs of markup characters\)",
        "Der Text braucht mehr als {s} s zum Darstellen; bitte einfacher gliedern (tief verschachtelte Zitate, Listen, Links oder HTML-Tags, lange Folgen von Auszeichnungszeichen).",
    ),
    (
        r"needs more than (?P<mb>\d+) MB of memory to render; simplify its structure \(deeply nested quotes, lists, links or HTML tags, or long runs of markup characters\)",
        "Der Text braucht mehr als {mb} MB Speicher zum Darstellen; bitte einfacher gliedern (tief verschachtelte Zitate, Listen, Links oder HTML-Tags, lange Folgen von Auszeichnungszeichen).",
    ),
    (
        r"nests its markup (?P<d>\d+) levels deep, more than (?P<n>\d+); simplify its structure \(deeply nested quotes, lists, links or HTML tags, or long runs of markup characters\)",
        "Der Text ist {d} Ebenen tief verschachtelt, mehr als {n}; bitte einfacher gliedern (tief verschachtelte Zitate, Listen, Links oder HTML-Tags, lange Folgen von Auszeichnungszeichen).",
    ),
    (
        r"renders to (?P<bytes>[\d,]+) bytes of HTML, more than (?P<n>\d+) times its size; "
        r"write fewer references to the same footnote or link",
        "Der Text ergibt {bytes} Byte HTML, mehr als das {n}-Fache seiner Länge; bitte weniger Verweise "
        "auf dieselbe Fußnote oder denselben Link setzen.",
    ),
    (
        r"a link points at \{filename\}(?P<target>.*), which is no content file; "
        r"write the path relative to this file",
        "Ein Link führt ins Leere: {target} ist keine Inhaltsdatei; bitte den Pfad relativ zu dieser "
        "Datei schreiben.",
    ),
]
"""(pattern of an English message, its German sentence): the whole message must match."""

_IMAGE = re.compile(r"the image '(?P<name>.*)' (?P<reason>.+)", re.DOTALL)
_COMPILED = [(re.compile(pattern, re.DOTALL), german) for pattern, german in GERMAN]
_REASONS = [(re.compile(pattern, re.DOTALL), german) for pattern, german in IMAGE_REASONS]


@dataclass(frozen=True)
class Message:
    """A message in one language, and that language (for ``lang`` where it is not the page's)."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text


def german(message: str) -> str | None:
    """The German sentence of a validator message, or None if no pattern knows it.

    >>> german("is 130 characters long; at most 120 allowed")
    'Ist 130 Zeichen lang; höchstens 120 sind erlaubt.'
    >>> german("unknown city 'hanover'; did you mean 'hannover'?")
    'Unbekannt (Stadt): „hanover“; meinten Sie „hannover“?'
    >>> german("the image 'a.svg' is an SVG drawing, not a photo; CuCon accepts JPEG, PNG and WebP only: export it as JPEG or PNG")
    'Das Bild „a.svg“ ist kein Foto (eine SVG-Zeichnung); CuCon nimmt nur JPEG, PNG und WebP an: bitte als JPEG oder PNG exportieren.'
    >>> german("something new") is None
    True
    """
    image = _IMAGE.fullmatch(message)
    if image:
        for pattern, text in _REASONS:
            found = pattern.fullmatch(image["reason"])
            if found:
                values = {k: v or "" for k, v in found.groupdict().items()}
                if "what" in values:
                    values["what"] = _fragment(values["what"])
                    if values["what"] is None:  # whole English rather than half German
                        return None
                if "mp" in values and values["mp"] and "w" not in values:
                    values["mp"] = f" ({values['mp']} Megapixel)"
                return f"Das Bild „{image['name']}“ {text.format(**values)}."
        return None
    for pattern, text in _COMPILED:
        found = pattern.fullmatch(message)
        if found:
            values = found.groupdict()
            if "what" in values:
                values["what"] = _fragment(values["what"])
                if values["what"] is None:  # whole English rather than half German
                    return None
            if "thing" in values:
                values["thing"] = THINGS[values["thing"]]
            return text.format(**values)
    return None


def in_language(message: str, lang: str) -> Message:
    """A message for a page in ``lang``: German where a pattern knows it, else the English original.

    >>> in_language("this field is required", "de"), in_language("this field is required", "en")
    (Message(text='Dieses Feld ist erforderlich.', lang='de'), Message(text='this field is required', lang='en'))
    """
    if lang == "de":
        found = german(message)
        if found is not None:
            return Message(found, "de")
    return Message(message, "en")


def both(message: str) -> str:
    """A message in German and English, for a comment that both read: ``German / English``.

    >>> both("must not be empty")
    'Darf nicht leer sein. / must not be empty'
    """
    found = german(message)
    return f"{found} / {message}" if found else message
