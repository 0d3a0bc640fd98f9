"""Bad content is refused by `cucon check` and by the site build, and the last good site stays.

The rules run in the test's process (`cucon.cli.main`, :func:`support.build_in_process`); a few rows
and the one-run report also run as real `cucon` and `pelican` processes.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from support import build_in_process, output_of, run_build, run_cucon, tree

from cucon import cli
from cucon.checks import PLACEHOLDER_PHOTO_COMMENT
from cucon.markup import render_markdown

Edit = Callable[[Path], None]

ANNA = "content/profiles/anna-kowalska.md"
TANZ = "content/profiles/tanz-kollektiv.md"
CALL = "content/calls/residency-leipzig.md"
NEWS = "content/news/concert.md"


def replace(relative: str, old: str, new: str) -> Edit:
    """An edit that replaces the first ``old`` in a file, failing if the fixture has drifted."""

    def edit(site: Path) -> None:
        path = site / relative
        text = path.read_text("utf-8")
        assert old in text, f"{relative} no longer contains {old!r}"
        path.write_text(text.replace(old, new, 1), "utf-8")

    return edit


def write(relative: str, text: str) -> Edit:
    """An edit that writes a new file."""

    def edit(site: Path) -> None:
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")

    return edit


def copy(source: str, target: str) -> Edit:
    """An edit that copies a file of the site to another place in it."""

    def edit(site: Path) -> None:
        (site / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(site / source, site / target)

    return edit


def remove(relative: str) -> Edit:
    """An edit that deletes a file."""
    return lambda site: (site / relative).unlink()


def python_tag(site: Path) -> None:
    """Add a YAML tag that, under an unsafe loader, would create ``pwned`` beside the site."""
    pwned = site.parent / "pwned"
    tag = f'extra: !!python/object/apply:os.system ["touch {pwned}"]\n'
    replace(NEWS, "lang: de\n", f"lang: de\n{tag}")(site)


def huge_markdown(site: Path) -> None:
    """Write a 5 MB Markdown file: a copy of the news item with a long body."""
    front = (site / NEWS).read_text("utf-8")
    (site / "content/news/huge.md").write_text(front + "x" * (5 * 1024 * 1024) + "\n", "utf-8")


def body(text: str) -> Edit:
    """An edit that gives the news item a new Markdown body."""
    return replace(NEWS, "Ein Konzert.\n", text)


BILLION_LAUGHS = "".join(
    f"{name}: &{name} [" + ", ".join([f"*{before}" if before else '"lol"'] * 9) + "]\n"
    for before, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)
"""Nine levels of nine aliases (414 bytes): 387 million "lol" for whatever walks the values."""
ANCHORS = "YAML anchors and aliases (&name, *name) are not allowed; write each value out"


@dataclass(frozen=True)
class Expected:
    """One line `cucon check` must print: ``path:line: field: message``."""

    path: str
    line: int
    field: str
    fragment: str

    def found_in(self, output: str) -> bool:
        """True when some line of ``output`` is this problem."""
        prefix = f"{self.path}:{self.line}: {self.field}: "
        return any(line.startswith(prefix) and self.fragment in line for line in output.splitlines())


@dataclass(frozen=True)
class Case:
    """A way to break the fixture site, and the problems it must cause."""

    id: str
    edit: Edit
    problems: tuple[Expected, ...]
    absent: str | None = None


MUSIC = "content/networks/music.yaml"
MEMBER_BOLOGNA = "  - name: Bologna\n    country: IT\n    since: 2006\n"
MEMBER_LONDON_GB = "  - name: London\n    country: GB\n    since: 2021\n"
MEMBER_LONDON_CA = "  - name: London\n    country: CA\n    since: 2021\n"


def both(first: Edit, second: Edit) -> Edit:
    """An edit that makes two edits."""
    return lambda site: (first(site), second(site))


def network_of(*members: str) -> str:
    """A network file whose members start at line 6, three lines each."""
    head = "id: 0b6b7c52-7f1e-4a53-8d59-5a3f2f0c9d11\nname: {de: Musikstädte, en: Cities of Music}\n"
    head += "relation: unesco_city_of_music\ndescription: {de: Ein Netzwerk., en: A network.}\nmembers:\n"
    return head + "".join(members)


UNKNOWN_CITY = Expected(ANNA, 5, "cities[0]", "unknown city 'hanover'; did you mean 'hannover'?")
BAD_DEADLINE = Expected(
    CALL, 12, "deadline", "'31.12.2026' is not a date and time; write it as YYYY-MM-DD HH:MM"
)
DUPLICATE_SLUG = (
    f"the file name 'anna-kowalska' is used by both {ANNA} and content/profiles/sub/anna-kowalska.md"
)
DUPLICATE_ID = "the id cbc832b0-3b3b-4241-8786-063877a1436b is used by both"

CASES = [
    Case(
        "pelican-save-as",
        replace(ANNA, "lang: de\n", "lang: de\nsave_as: index.html\n"),
        (Expected(ANNA, 18, "save_as", "'save_as' is a Pelican control key and is not allowed"),),
    ),
    Case(
        "pelican-template",
        replace(NEWS, "lang: de\n", "lang: de\ntemplate: home\n"),
        (Expected(NEWS, 11, "template", "'template' is a Pelican control key and is not allowed"),),
    ),
    Case(
        "yaml-python-object",
        python_tag,
        (Expected(NEWS, 11, "(yaml)", "the YAML tag !!python/object/apply:os.system is not allowed"),),
        absent="pwned",
    ),
    Case(
        "unknown-city-suggests",
        replace(ANNA, "cities: [hannover,", "cities: [hanover,"),
        (UNKNOWN_CITY,),
    ),
    Case(
        "deadline-format",
        replace(CALL, "deadline: 2027-01-31 23:59", "deadline: 31.12.2026"),
        (BAD_DEADLINE,),
    ),
    Case(
        "bidi-override-in-name",
        replace(ANNA, "name: Anna Kowalska", "name: Anna \u202eKowalska"),
        (Expected(ANNA, 3, "name", "contains a bidirectional control character (U+202E) at position 6"),),
    ),
    Case(
        "duplicate-slug",
        copy(ANNA, "content/profiles/sub/anna-kowalska.md"),
        (
            Expected(ANNA, 1, "(file name)", DUPLICATE_SLUG),
            Expected("content/profiles/sub/anna-kowalska.md", 1, "(file name)", DUPLICATE_SLUG),
        ),
    ),
    Case(
        "duplicate-id",
        copy(NEWS, "content/news/concert-again.md"),
        (
            Expected("content/news/concert-again.md", 2, "id", DUPLICATE_ID),
            Expected(NEWS, 2, "id", DUPLICATE_ID),
        ),
    ),
    Case(
        "five-megabyte-markdown",
        huge_markdown,
        (Expected("content/news/huge.md", 1, "(file)", "bytes; at most 262,144 allowed"),),
    ),
    Case(
        "javascript-website",
        replace(ANNA, "website: https://anna-kowalska.example/", "website: javascript:alert(1)"),
        (
            Expected(
                ANNA, 13, "links.website", "'javascript:alert(1)' is not allowed; links must be https://"
            ),
        ),
    ),
    Case(
        "javascript-apply",
        replace(CALL, "apply: https://www.leipzig.de/", "apply: javascript:alert(1)"),
        (Expected(CALL, 14, "apply", "'javascript:alert(1)' is not allowed; write an https:// address"),),
    ),
    Case(
        "unknown-profile-in-news",
        replace(NEWS, "profiles: [anna-kowalska]", "profiles: [anna-kowalska, nobody-here]"),
        (Expected(NEWS, 9, "profiles[1]", "unknown profile 'nobody-here'"),),
    ),
    Case(
        "translation-without-original",
        write(
            "content/pages/imprint-en.md",
            "---\nid: 1b0d4f70-f09d-47bb-bf97-e4aa6d3ab835\ntranslation_of: imprint\n"
            "title: Legal notice\nlang: en\n---\n\nText.\n",
        ),
        (Expected("content/pages/imprint-en.md", 3, "translation_of", "unknown page 'imprint'"),),
    ),
    Case(
        "photo-missing",
        remove("content/profiles/tanz-kollektiv.jpg"),
        (Expected(TANZ, 9, "photo.file", "the image 'tanz-kollektiv.jpg' is missing"),),
    ),
    Case(
        "unreferenced-image",
        copy("content/profiles/anna-kowalska.jpg", "content/news/stray.jpg"),
        (Expected("content/news/stray.jpg", 1, "(file)", "no item names this image"),),
    ),
    Case(
        "city-name-in-unknown-language",
        replace("content/cities/hannover.yaml", "  fr: Hanovre\n", "  fr: Hanovre\n  xx_1: Foo\n"),
        (Expected("content/cities/hannover.yaml", 2, "names", "'xx_1' is not a language code"),),
    ),
    Case(
        "reserved-slug-page",
        copy(NEWS, "content/news/page.md"),
        (
            Expected(
                "content/news/page.md", 1, "(file name)", "'page' is an address part the site's listings use"
            ),
        ),
    ),
    Case(
        "broken-internal-link",
        replace(NEWS, "Ein Konzert.", "Ein Konzert, siehe [hier]({filename}missing.md)."),
        (Expected(NEWS, 13, "(body)", "the link {filename}missing.md points at no content file"),),
    ),
    Case(
        "control-character-in-body",
        replace(NEWS, "Ein Konzert.", "Ein \x07Konzert."),
        (Expected(NEWS, 13, "(body)", "contains a control character (U+0007)"),),
    ),
    Case(
        "name-of-hangul-fillers-only",
        replace(ANNA, "name: Anna Kowalska", "name: \u3164\u3164"),
        (Expected(ANNA, 3, "name", "contains an invisible filler character (U+3164) at position 1"),),
    ),
    Case(
        "name-of-braille-blanks-only",
        replace(ANNA, "name: Anna Kowalska", "name: \u2800"),
        (Expected(ANNA, 3, "name", "contains an invisible filler character (U+2800) at position 1"),),
    ),
    Case(
        "name-without-a-letter",
        replace(ANNA, "name: Anna Kowalska", "name: ★ ★"),
        (Expected(ANNA, 3, "name", "has no visible letter or digit"),),
    ),
    Case(
        "zero-width-space-in-name",
        replace(ANNA, "name: Anna Kowalska", "name: Anna\u200bKowalska"),
        (Expected(ANNA, 3, "name", "contains an invisible format character (U+200B) at position 5"),),
    ),
    Case(
        "left-to-right-mark-in-name",
        replace(ANNA, "name: Anna Kowalska", "name: Anna\u200e Kowalska"),
        (Expected(ANNA, 3, "name", "contains an invisible format character (U+200E) at position 5"),),
    ),
    Case(
        "right-to-left-mark-in-title",
        replace(NEWS, "title: Konzert in Hannover", "title: Konzert in Hannover\u200f"),
        (Expected(NEWS, 4, "title", "contains an invisible format character (U+200F) at position 20"),),
    ),
    Case(
        "line-separator-in-name",
        replace(ANNA, "name: Anna Kowalska", 'name: "Anna\\u2028Kowalska"'),
        (Expected(ANNA, 3, "name", "contains a line or paragraph separator (U+2028) at position 5"),),
    ),
    Case(
        "tag-character-in-organiser-name",
        replace(CALL, "  profile: tanz-kollektiv", "  name: Kulturverein\U000e0041 Linden"),
        (Expected(CALL, 7, "organiser.name", "contains a tag character (U+E0041) at position 13"),),
    ),
    Case(
        "soft-hyphen-in-name",
        replace(ANNA, "name: Anna Kowalska", "name: Anna Kowal\u00adska"),
        (Expected(ANNA, 3, "name", "contains a soft hyphen (U+00AD) at position 11"),),
    ),
    Case(
        "word-joiner-in-photo-alt",
        replace(ANNA, "  alt: Ein blaues Quadrat", "  alt: Ein blaues\u2060Quadrat"),
        (Expected(ANNA, 11, "photo.alt", "contains an invisible format character (U+2060) at position 11"),),
    ),
    Case(
        "windows-device-name-profile",
        lambda site: (site / TANZ).rename(site / "content/profiles/aux.md"),
        (Expected("content/profiles/aux.md", 1, "(file)", "'aux.md' is the Windows device name AUX"),),
    ),
    Case(
        "windows-device-name-page",
        write(
            "content/pages/lpt1.md",
            "---\nid: 6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f\ntitle: Drucker\nlang: de\n---\n\nText.\n",
        ),
        (Expected("content/pages/lpt1.md", 1, "(file)", "'lpt1.md' is the Windows device name LPT1"),),
    ),
    Case(
        "yaml-billion-laughs-in-front-matter",
        replace(NEWS, "lang: de\n", f"lang: de\n{BILLION_LAUGHS}"),
        (Expected(NEWS, 11, "(yaml)", ANCHORS),),
    ),
    Case(
        "yaml-alias-in-city-file",
        replace(
            "content/cities/hannover.yaml",
            "  de: Hannover\n  en: Hannover\n",
            "  de: &n Hannover\n  en: *n\n",
        ),
        (Expected("content/cities/hannover.yaml", 3, "(yaml)", ANCHORS),),
    ),
    Case(
        "body-quotes-nested-100-deep",
        body(">" * 100 + " tief\n"),
        (
            Expected(
                NEWS, 12, "(body)", "nests its markup 101 levels deep, more than 32; simplify its structure"
            ),
        ),
    ),
    Case(
        "body-lists-nested-40-deep",
        body("".join("  " * depth + "- x\n" for depth in range(40))),
        (Expected(NEWS, 12, "(body)", "levels deep, more than 32; simplify its structure"),),
    ),
    Case(
        "body-60000-nested-html-tags",
        body("<b>" * 60_000 + "x\n"),
        (Expected(NEWS, 12, "(body)", "nests its markup 60001 levels deep, more than 32"),),
    ),
    Case(
        "body-quadratic-for-the-sanitiser",
        body("<ul>" * 60_000 + "\n"),
        (Expected(NEWS, 12, "(body)", "s to render; simplify its structure"),),
    ),
    Case(
        "body-footnote-referenced-20000-times",
        body("[^1]: x\n\n" + "[^1]" * 20_000 + "\n"),
        (Expected(NEWS, 12, "(body)", "bytes of HTML, more than 8 times its size"),),
    ),
    Case(
        "body-internal-link-with-encoded-braces",
        body("[hier](%7Bfilename%7Dmissing.md) und [da](&#123;filename&#125;gone.md)\n"),
        (
            Expected(NEWS, 12, "(body)", "a link points at {filename}missing.md, which is no content file"),
            Expected(NEWS, 12, "(body)", "a link points at {filename}gone.md, which is no content file"),
        ),
    ),
    Case(
        "contact-email-without-address",  # a "write to" that leads nowhere: the rule names its key's line
        replace(ANNA, "lang: de\n", "lang: de\ncontact: email\n"),
        (Expected(ANNA, 18, "contact", "contact is 'email' but the profile publishes no e-mail address"),),
    ),
    Case(
        "contact-markup",  # only the three choices, never text that reaches the profile page
        replace(ANNA, "lang: de\n", 'lang: de\ncontact: "<script>alert(1)</script>"\n'),
        (Expected(ANNA, 18, "contact", "is not allowed; expected one of 'form', 'email' or 'none'"),),
    ),
    Case(
        "offers-unknown-term",  # only the controlled list's slugs: a term of one's own is refused
        replace(ANNA, "lang: de\n", "lang: de\nseeks: [residency, studio]\n"),
        (
            Expected(
                ANNA, 18, "seeks[1]", "'studio' is not allowed; expected one of 'residency', 'commission'"
            ),
        ),
    ),
    Case(
        "offers-markup",  # a value never reaches a page, a reason line or a form as text
        replace(CALL, "offers: [residency, venue]", 'offers: [venue, "<img src=x onerror=alert(1)>"]'),
        (Expected(CALL, 15, "offers[1]", "is not allowed; expected one of 'residency'"),),
    ),
    Case(
        "offers-too-long-list",  # at most the list's twelve terms
        replace(ANNA, "lang: de\n", "lang: de\noffers: [" + ", ".join(["venue"] * 13) + "]\n"),
        (Expected(ANNA, 18, "offers", "has too many entries; at most 12"),),
    ),
    Case(
        "reserved-slug-call-open-to",  # would take the folder of the calls' filter pages by city
        copy(CALL, "content/calls/open-to.md"),
        (
            Expected(
                "content/calls/open-to.md",
                1,
                "(file name)",
                "'open-to' is an address part the site's listings use",
            ),
        ),
    ),
    Case(
        "reserved-slug-language-page",
        write(
            "content/pages/en.md",
            "---\nid: 5b7d0c52-8f0e-4a55-9a43-3f0c1d2e9b61\ntitle: En\nsummary: En.\nlang: de\n---\n\nText.\n",
        ),
        (Expected("content/pages/en.md", 1, "(file name)", "'en' is a section of the site"),),
    ),
    Case(
        "reserved-slug-search-delta-page",  # would take the folder of the search index's delta
        write(
            "content/pages/pagefind-delta.md",
            "---\nid: 0c6e2f4a-1b3d-4e5f-8a7b-9c0d1e2f3a4b\ntitle: Delta\nsummary: D.\nlang: de\n---\n\nText.\n",
        ),
        (
            Expected(
                "content/pages/pagefind-delta.md",
                1,
                "(file name)",
                "'pagefind-delta' is a section of the site",
            ),
        ),
    ),
    Case(
        "member-city-unknown-suggests",  # a City of Music misspelt: the members are suggested too
        both(
            write(MUSIC, network_of(MEMBER_BOLOGNA)), replace(ANNA, "cities: [hannover,", "cities: [bologne,")
        ),
        (Expected(ANNA, 5, "cities[0]", "unknown city 'bologne'; did you mean 'bologna'?"),),
    ),
    Case(
        "member-city-ambiguous-name",  # two Londons: which one would cities: [london] mean?
        write(MUSIC, network_of(MEMBER_LONDON_GB, MEMBER_LONDON_CA)),
        (
            Expected(
                MUSIC,
                9,
                "members[1].name",
                "'london' names two different members (content/networks/music.yaml:6 and content/networks/music.yaml:9); give one of them its own address part, such as 'slug: london-ca'",
            ),
        ),
    ),
    Case(
        "member-city-listed-twice",
        write(MUSIC, network_of(MEMBER_BOLOGNA, MEMBER_BOLOGNA)),
        (Expected(MUSIC, 9, "members[1].name", "'bologna' names two different members"),),
    ),
    Case(
        "member-city-is-a-city-file",  # a member named like a city file, without city:
        write(MUSIC, network_of("  - name: Leipzig\n    country: DE\n    since: 2014\n")),
        (
            Expected(
                MUSIC,
                6,
                "members[0].name",
                "'leipzig' is also the file name of content/cities/leipzig.yaml; if that file is this member, write 'city: leipzig'",
            ),
        ),
    ),
    Case(
        "member-city-slug-and-city-differ",
        write(
            MUSIC,
            network_of(
                "  - name: Hannover\n    country: DE\n    since: 2014\n    city: hannover\n    slug: hanover\n"
            ),
        ),
        (
            Expected(
                MUSIC,
                10,
                "members[0].slug",
                "'slug: hanover' and 'city: hannover' name two different cities; a member with a city file is "
                "named by that file's name: remove the 'slug:' line",
            ),
        ),
    ),
    Case(
        "page-titles-unknown-language",  # a title for the navigation of a UI language that is no language
        replace("content/pages/about.md", "lang: de\n", "lang: de\ntitles:\n  xx: Foo\n"),
        (Expected("content/pages/about.md", 7, "titles.xx.[key]", "'xx' is not a known language code"),),
    ),
    Case(
        "page-titles-empty",  # the navigation would show an empty link
        replace("content/pages/about.md", "lang: de\n", "lang: de\ntitles:\n  ja: ''\n"),
        (Expected("content/pages/about.md", 7, "titles.ja", "must not be empty"),),
    ),
    *(
        Case(
            f"call-award-{name}",  # the money a call offers: a positive amount below ten million, a known code
            replace(
                CALL,
                "offers: [residency, venue]\n",
                f"offers: [residency, venue]\naward:\n  amount: {amount}\n  currency: {currency}\n  kind: {kind}\n",
            ),
            (Expected(CALL, line, field, message),),
        )
        for name, amount, currency, kind, line, field, message in [
            ("negative", "-4000", "EUR", "fee", 17, "award.amount", "is not an amount of money"),
            ("zero", "0", "EUR", "fee", 17, "award.amount", "is not an amount of money"),
            ("absurd", "1e12", "EUR", "fee", 17, "award.amount", "is not an amount of money"),
            ("not-finite", "nan", "EUR", "fee", 17, "award.amount", "is not an amount of money"),
            (
                "markup-amount",
                "'<b>4000</b>'",
                "EUR",
                "fee",
                17,
                "award.amount",
                "is not an amount of money",
            ),
            (
                "unknown-currency",
                "4000",
                "XYZ",
                "fee",
                18,
                "award.currency",
                "'XYZ' is not an ISO 4217 currency",
            ),
            ("currency-sign", "4000", "€", "fee", 18, "award.currency", "'€' is not an ISO 4217 currency"),
            (
                "unknown-kind",
                "4000",
                "EUR",
                "salary",
                19,
                "award.kind",
                "'salary' is not allowed; expected one of",
            ),
            (
                "markup-kind",
                "4000",
                "EUR",
                "'<script>x</script>'",
                19,
                "award.kind",
                "is not allowed; expected one of",
            ),
        ]
    ),
    Case(
        "facebook-address-in-instagram",  # issue 19: a link in the wrong field
        replace(
            ANNA,
            "  website: https://anna-kowalska.example/\n",
            "  instagram: https://www.facebook.com/anna\n",
        ),
        (
            Expected(
                ANNA,
                12,
                "links",
                "'https://www.facebook.com/anna' belongs in the 'facebook' field, not in 'instagram'",
            ),
        ),
    ),
    Case(
        "platform-address-as-website",
        replace(ANNA, "  website: https://anna-kowalska.example/", "  website: https://instagram.com/anna"),
        (
            Expected(
                ANNA,
                12,
                "links",
                "'https://instagram.com/anna' belongs in the 'instagram' field, not in 'website'",
            ),
        ),
    ),
    Case(
        "web-address-in-summary",  # issue 19: links have their own fields
        replace(
            ANNA,
            "summary: Geigerin zwischen Hannover und Leipzig.",
            "summary: Geigerin, mehr auf www.anna.example.",
        ),
        (Expected(ANNA, 8, "summary", "must not contain a web address ('www.anna.example')"),),
    ),
    Case(
        "misspelt-key-suggests",  # a misspelt key names the key meant, and its value errors still show
        both(
            replace(ANNA, "disciplines: [music]", "diciplines: [music]"),
            replace(ANNA, "kind: person", "kind: persn"),
        ),
        (
            Expected(ANNA, 6, "diciplines", "unknown key 'diciplines'; did you mean 'disciplines'?"),
            Expected(ANNA, 4, "kind", "'persn' is not allowed"),
        ),
    ),
    Case(
        "misspelt-nested-key-suggests",
        replace(ANNA, "  alt: Ein blaues", "  atl: Ein blaues"),
        (Expected(ANNA, 11, "photo.atl", "unknown key 'atl'; did you mean 'alt'?"),),
    ),
    Case(
        "invalid-file-still-checks-references",  # a wrong kind must not hide a misspelt city
        both(
            replace(ANNA, "kind: person", "kind: persn"),
            replace(ANNA, "cities: [hannover,", "cities: [hanover,"),
        ),
        (Expected(ANNA, 4, "kind", "'persn' is not allowed"), UNKNOWN_CITY),
    ),
    Case(
        "yaml-unclosed-list",  # the parser's own words become a sentence, with the column and the line
        replace(ANNA, "cities: [hannover, leipzig]", "cities: [hannover, leipzig"),
        (
            Expected(
                ANNA,
                5,
                "(yaml)",
                "a list opened with '[' is not closed with ']', or its entries are not separated by commas "
                "(column 9 of the line: cities: [hannover, leipzig)",
            ),
        ),
    ),
    Case(
        "yaml-colon-in-text",
        replace(ANNA, "summary: Geigerin", "summary: Note: Geigerin"),
        (Expected(ANNA, 8, "(yaml)", "a ':' stands where none may"),),
    ),
    Case(
        "yaml-unclosed-quote",
        replace(ANNA, "summary: Geigerin", "summary: 'Geigerin"),
        (
            Expected(
                ANNA, 8, "(yaml)", "a quote opened here is never closed (column 10 of the line: summary:"
            ),
        ),
    ),
    Case(
        "yaml-tab-indent",
        replace(ANNA, "  alt: Ein blaues", "\talt: Ein blaues"),
        (Expected(ANNA, 11, "(yaml)", "indent with spaces, not tabs"),),
    ),
    Case(
        "placeholder-summary",  # what `cucon new` writes is never published
        replace(
            ANNA,
            "summary: Geigerin zwischen Hannover und Leipzig.",
            "summary: 'Anna: what it offers, for whom.'",
        ),
        (Expected(ANNA, 8, "summary", "this is the example summary 'cucon new' writes"),),
    ),
    Case(
        "placeholder-alt",
        replace(ANNA, "  alt: Ein blaues Quadrat", "  alt: Portrait of Anna Kowalska"),
        (Expected(ANNA, 11, "photo.alt", "this is the example photo description 'cucon new' writes"),),
    ),
    Case(
        "placeholder-photo",
        lambda site: write_placeholder_photo(site / "content/profiles/anna-kowalska.jpg"),
        (Expected(ANNA, 10, "photo.file", "anna-kowalska.jpg is the placeholder photo 'cucon new' writes"),),
    ),
    Case(
        "unknown-discipline-points-to-the-list",  # nothing close: say where the allowed values are
        replace(ANNA, "disciplines: [music]", "disciplines: [qqqqq]"),
        (
            Expected(
                ANNA,
                6,
                "disciplines[0]",
                "unknown discipline 'qqqqq'; the known ones are listed in content/disciplines.yaml",
            ),
        ),
    ),
    Case(
        "sort-as-not-latin",  # the reading the A–Z list files a name by must be in Latin letters
        replace(ANNA, "name: Anna Kowalska\n", "name: Anna Kowalska\nsort_as: 安娜\n"),
        (
            Expected(
                ANNA,
                4,
                "sort_as",
                "'安娜' is not written in Latin letters; give the name as it is read in Latin letters",
            ),
        ),
    ),
]


def write_placeholder_photo(path: Path) -> None:
    """A photo marked as `cucon new` marks its placeholder."""
    Image.new("RGB", (64, 64), "grey").save(path, "JPEG", comment=PLACEHOLDER_PHOTO_COMMENT)


def check_in_process(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> tuple[int, str]:
    """`cucon check` run by its entry point in this process, in ``site``: the exit code and what it printed."""
    monkeypatch.chdir(site)
    code = cli.main(["check"])
    return code, capsys.readouterr().out


def assert_refused(
    site: Path, case: Case, before: dict[str, bytes], check: tuple[int, str], build: tuple[int, str]
) -> None:
    """`cucon check` exited 1 naming every problem; the build failed, showed one, and left output/ as ``before``."""
    code, printed = check
    assert code == 1, printed
    for problem in case.problems:
        assert problem.found_in(printed), f"{problem} not in:\n{printed}"
    code, log = build
    assert code != 0, log
    after = tree(site / "output")
    assert after["index.html"] == before["index.html"]
    assert after == before
    if case.absent:
        assert not (site.parent / case.absent).exists()
    assert any(problem.found_in(log) for problem in case.problems), log


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_by_check_and_build(built_site, case, monkeypatch, capsys):
    """`cucon check` names file, line and field; the build fails and leaves output/ as it was."""
    before = tree(built_site / "output")
    case.edit(built_site)
    check = check_in_process(built_site, monkeypatch, capsys)
    build = build_in_process(built_site)
    assert_refused(built_site, case, before, check, (build.returncode, build.log))


IN_REAL_PROCESSES = {
    "yaml-billion-laughs-in-front-matter",
    "body-quadratic-for-the-sanitiser",
    "reserved-slug-page",
}
"""Rows that also run as real `cucon check` and `pelican` processes: a YAML bomb, a render budget, a slug."""


@pytest.mark.parametrize("case", [c for c in CASES if c.id in IN_REAL_PROCESSES], ids=lambda case: case.id)
def test_bad_input_is_refused_by_real_check_and_pelican(built_site, case):
    """The same refusal from the real commands: `cucon check` exits 1, `pelican` fails and output/ stays."""
    before = tree(built_site / "output")
    case.edit(built_site)
    check = run_cucon("check", cwd=built_site)
    build = run_build(built_site)
    assert_refused(
        built_site, case, before, (check.returncode, check.stdout), (build.returncode, output_of(build))
    )


TWO_BROKEN = [
    replace(ANNA, "cities: [hannover,", "cities: [hanover,"),
    replace(CALL, "deadline: 2027-01-31 23:59", "deadline: 31.12.2026"),
]
TWO_PROBLEMS = [UNKNOWN_CITY, BAD_DEADLINE]


@pytest.mark.parametrize(
    "tool",
    [
        "check",
        "build",
    ],
)
def test_every_problem_is_reported_in_one_run(fixture_site, tool):
    """Two broken files: one run reports both, so a contributor fixes everything at once."""
    for edit in TWO_BROKEN:
        edit(fixture_site)
    result = run_cucon("check", cwd=fixture_site) if tool == "check" else run_build(fixture_site)
    assert result.returncode != 0
    for problem in TWO_PROBLEMS:
        assert problem.found_in(output_of(result)), f"{problem} not in:\n{output_of(result)}"


def test_check_github_format_annotates_each_line(fixture_site):
    """`--format github` prints one ::error workflow command per problem, with file and line."""
    for edit in TWO_BROKEN:
        edit(fixture_site)
    result = run_cucon("check", "--format", "github", cwd=fixture_site)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"::error file={CALL},line=12,title=deadline::'31.12.2026' is not a date and time; write it as "
        "YYYY-MM-DD HH:MM in 24-hour time, e.g. 2026-12-31 23:59 (local time; the timezone goes in 'timezone')",
        f"::error file={ANNA},line=5,title=cities[0]::unknown city 'hanover'; did you mean 'hannover'?",
    ]


OSLO = """\
id: 3f2b8c1e-5d4a-4e7b-9c0d-1a2b3c4d5e6f
names: {{de: Oslo, en: Oslo, local: Oslo}}
country: {country}
timezone: Europe/Oslo
coordinates: {{lat: 59.91, lon: 10.75}}
languages: [nb]
description: {{de: Hauptstadt Norwegens., en: Capital of Norway.}}
"""


@pytest.fixture(scope="module", params=["NO", "no"])
def norway_site(request, tmp_path_factory):
    """A fixture site with Oslo, whose country code YAML 1.1 would read as the boolean false."""
    site = tmp_path_factory.mktemp("norway") / "site"
    shutil.copytree(Path(__file__).parent / "fixtures" / "site", site)
    (site / "content/cities/oslo.yaml").write_text(OSLO.format(country=request.param), "utf-8")
    with contextlib.redirect_stdout(io.StringIO()) as printed:  # capsys is per test, this fixture per module
        check = cli.main(["check", "--content", str(site / "content")])
    return site, (check, printed.getvalue()), build_in_process(site)


@pytest.mark.parametrize(
    ("page", "country"),
    [("cities/oslo/index.html", "Norwegen"), ("en/cities/oslo/index.html", "Norway")],
)
def test_country_no_is_norway(norway_site, page, country):
    """`country: NO` is the country code: the city validates and its page names Norway."""
    site, (check, printed), build = norway_site
    assert check == 0, printed
    assert build.returncode == 0, build.log
    html = (site / "output" / page).read_text("utf-8")
    assert f'<p class="country">{country}</p>' in html


def test_symlinked_image_is_refused(built_site, tmp_path, monkeypatch, capsys):
    """An image that is a symlink could publish any file of the build machine; it is refused."""
    secret = tmp_path / "secret.txt"
    secret.write_text("CI_TOKEN=do-not-publish\n", "utf-8")
    photo = built_site / "content/profiles/anna-kowalska.jpg"
    photo.unlink()
    os.symlink(secret, photo)
    code, printed = check_in_process(built_site, monkeypatch, capsys)
    build = build_in_process(built_site)
    published = b"".join(tree(built_site / "output").values())
    assert b"do-not-publish" not in published
    assert code == 1
    assert "content/profiles/anna-kowalska.jpg" in printed
    assert build.returncode != 0, build.log


PATHOLOGICAL_BUT_FINE = [
    pytest.param("a\n: b\n" * 700, id="definition-list-lookalike-x700"),
    pytest.param("[" * 24 * 1024 + "\n", id="24-kb-of-unmatched-brackets"),
    pytest.param("[" * 250_000 + "\n", id="250-kb-of-unmatched-brackets"),
    pytest.param("*a " * 60_000 + "\n", id="emphasis-run"),
    pytest.param("*" * 50_000 + "a" + "*" * 50_000 + "\n", id="emphasis-nest"),
    pytest.param("".join("`" * n + "a" for n in range(1, 600)) + "\n", id="backtick-runs"),
    pytest.param("<a" * 60_000 + "\n", id="angle-bracket-run"),
    pytest.param(
        "".join(f"[l{n}]: https://e.example/{n}\n" for n in range(5000)) + "[l1] " * 3000 + "\n",
        id="long-link-reference-definitions",
    ),
]
"""Bodies that once broke or stalled the build: `cucon check` passes them, and the build renders them."""


@pytest.mark.parametrize("text", PATHOLOGICAL_BUT_FINE)
def test_pathological_body_passes_check_and_builds(built_site, text, monkeypatch, capsys):
    """A body `cucon check` passes is rendered by the build, into the item's page."""
    body(text)(built_site)
    code, printed = check_in_process(built_site, monkeypatch, capsys)
    assert code == 0, printed
    build = build_in_process(built_site)
    assert build.returncode == 0, build.log
    page = (built_site / "output/news/concert/index.html").read_text("utf-8")
    assert render_markdown(text)[:200] in page
