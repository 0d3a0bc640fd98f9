"""``cucon bench``: generate a synthetic network, build it every way it is built, report time and memory.

The network is deterministic for a given size and day: ids, names, texts and pictures come from
seeded random generators. Only the dates follow the day of the run: deadlines, events and
news lie within a year either side of today, so calls are open, closing soon and closed; the
first call's deadline is today at noon (Berlin), so it passes before the nightly rebuild.

Every build of a run sees the same clock: ``CUCON_BUILD_TIME`` is today at 06:00 in Berlin, the
nightly rebuild's the next morning at 06:00. The stages, each a child process measured for wall
time, CPU time (user + sys of the child and of the workers it waited for) and peak resident memory:

- ``generate``: write the network (in this process);
- ``check``: ``cucon check`` on it;
- ``bare Pelican (clean)``: the same profiles, calls and news items as plain Markdown articles,
  built by the venv's Pelican with its default theme and no plugins;
- ``Hugo (clean)``: the same articles built by ``hugo`` (Debian's package) with a minimal theme;
  skipped, and the report says so, without Hugo;
- ``build (cold cache)``: Pelican with the repository's settings into an empty output and cache,
  split into the plugins' own stages from their log lines ``cucon stage NAME: X s, peak N MiB``;
- ``rebuild (no change)``: the same build again, into the same output;
- ``build (warm cache)``: a clean build again after deleting the output and
  ``<CACHE_PATH>/cucon-state/`` only, so the image cache is warm;
- ``rebuild (one profile)``: after one profile's summary changed on disk;
- ``rebuild (nightly)``: no change but the build time, a day later: calls close;
- with ``--verify``, after each rebuild, a clean build of the same content and settings into a
  separate folder, compared byte for byte with the rebuild's output (``pagefind/`` aside);
- the image stage: the plugin's ``copy-images`` stage of both builds (the second should cost at
  most 2 % of the first: nothing is decoded), the counts it logs, and the cost per photo of
  cucon.images on one core against a bare Pillow pipeline (draft decode, the same resizes and
  encodes) measured in the same run on a sample of the generated photos (target: at most 1.3×);
- the search: cucon_search's ``search-index`` stage against the clean build's wall time (target:
  at most 15 %), then, on the clean build served at 127.0.0.1, headless Chromium through the
  Pagefind JS API: the bytes a cold first query for a common word transfers under /pagefind/,
  the data of its first 5 results included (target: at most 300 kB), and the median of 20 warm
  queries from ``search()`` to the data of their first 5 results (target: at most 300 ms).
  Without Playwright or Chromium (``$CUCON_CHROMIUM``, default /usr/bin/chromium) that part is
  skipped and the report says why;
- the render stage before and after the renderer change: every Markdown body of the network
  rendered on one core by Python-Markdown (extra, sane_lists, smarty; the renderer before
  cmark-gfm) and by cmark-gfm (:func:`cucon.markup.render_markdown`), both sanitised by nh3,
  alternating rounds, the fastest round of each; seconds per 1,000 bodies and the ratio.

The report compares the builds (every ratio of wall time, CPU time and peak memory to each clean
build) and gives the build targets' verdicts: a rebuild after one profile's edit and the nightly
rebuild at most 0.25× Hugo's clean build, the warm clean build at most 1.5× bare Pelican's, and a
peak of at most 2,048 MiB at 10,000 profiles.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import filecmp
import functools
import gzip
import hashlib
import io
import json
import logging
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import yaml
from PIL import Image, ImageDraw

from cucon.frontmatter import FRONT_MATTER, StrictSafeLoader
from cucon.incremental import STATE_FOLDER
from cucon.markup import H1_TAG, render_markdown, sanitise
from cucon.text import make_slug

logger = logging.getLogger(__name__)

SEED = 20261127
"""Seed of every random choice: the same size gives the same network."""

FULL_SIZE = {"profiles": 10_000, "calls": 2_000, "news": 2_000}
"""Items of each type at scale 1."""

CITY_COUNT = 70
PHOTO_SIZE = (320, 320)
NEWS_IMAGE_SIZE = (480, 320)
PLUGIN_STAGES = ("read+validate", "render-markdown", "write-pages", "copy-images", "feeds", "search-index")
"""The stages the plugins' Stopwatch (cucon.stopwatch) logs, in build order: feeds is cucon_feeds',
search-index cucon_search's."""

STAGE_LINE = re.compile(
    r"cucon stage (?P<name>\S+): (?P<seconds>\d+(?:\.\d+)?) s(?:, peak (?P<peak>\d+) MiB)?"
)
MARKER = ".cucon-bench"
"""A file in a site folder the benchmark made, so a rerun may replace that folder's network."""

BUILD_TIMEZONE = "Europe/Berlin"
BUILD_HOUR = 6
"""Every build of a run is made at 06:00 (Berlin) on the network's day; the nightly rebuild a day later."""

PASSING_DEADLINE_HOUR = 12
"""The first call's deadline: noon (Berlin) on the network's day, so it passes between the run's
build time and the nightly rebuild's."""

VERIFY_IGNORE = ("pagefind/",)
"""What ``--verify`` does not compare: the Pagefind bundle, whose file names are hashes."""

FIRST_DIFFERENCES = 20
"""How many differing files the report lists per rebuild."""

COLD, NO_CHANGE, WARM, ONE_PROFILE, NIGHTLY = (
    "build (cold cache)",
    "rebuild (no change)",
    "build (warm cache)",
    "rebuild (one profile)",
    "rebuild (nightly)",
)
OUR_BUILDS = (COLD, NO_CHANGE, WARM, ONE_PROFILE, NIGHTLY)
"""Our builds, in the order a run makes them."""
REBUILDS = (NO_CHANGE, ONE_PROFILE, NIGHTLY)
"""The builds that find the previous output and state: what ``--verify`` checks."""
PELICAN, HUGO = "bare Pelican (clean)", "Hugo (clean)"
REFERENCES = {COLD: "ours cold", WARM: "ours warm", PELICAN: "Pelican", HUGO: "Hugo"}
"""The clean builds every build is compared with, and their column titles."""

INCREMENTAL_TARGET = 0.25
"""A rebuild after one profile's edit, and the nightly rebuild, take at most this times Hugo's clean build."""
WARM_TARGET = 1.5
"""Our warm clean build takes at most this times bare Pelican's clean build."""
PEAK_TARGET_MIB = 2048
"""Peak memory of our builds at 10,000 profiles, at most."""


# --- sizes and measurements ---------------------------------------------------------------


def counts(scale: float) -> dict[str, int]:
    """How many items of each type a scale gives; at least one of each.

    >>> counts(1)
    {'cities': 70, 'profiles': 10000, 'calls': 2000, 'news': 2000}
    >>> counts(0.0001)
    {'cities': 70, 'profiles': 1, 'calls': 1, 'news': 1}
    """
    return {"cities": CITY_COUNT} | {kind: max(1, round(n * scale)) for kind, n in FULL_SIZE.items()}


def maxrss_mib(maxrss: int) -> float:
    """``ru_maxrss`` in MiB: Linux counts KiB, macOS bytes."""
    return maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def build_moment(day: dt.date) -> str:
    """The CUCON_BUILD_TIME of a bench build on ``day``: 06:00 in Berlin, with that day's UTC offset.

    >>> build_moment(dt.date(2026, 11, 27)), build_moment(dt.date(2026, 7, 1))
    ('2026-11-27T06:00:00+01:00', '2026-07-01T06:00:00+02:00')
    """
    return dt.datetime.combine(day, dt.time(BUILD_HOUR), ZoneInfo(BUILD_TIMEZONE)).isoformat()


def parse_stages(log: str) -> dict[str, tuple[float, float | None]]:
    """The plugin's stage lines in a build log: seconds and peak MiB by stage name.

    >>> parse_stages("[10:00:01] INFO  cucon stage read+validate: 1.23 s, peak 812 MiB  __init__.py:55")
    {'read+validate': (1.23, 812.0)}
    >>> parse_stages("INFO: cucon stage write-pages: 12.30 s")
    {'write-pages': (12.3, None)}
    """
    found = {}
    for match in STAGE_LINE.finditer(log):
        peak = match.group("peak")
        found[match.group("name")] = (float(match.group("seconds")), float(peak) if peak else None)
    return found


@dataclass
class Row:
    """One line of the report: a stage, its time, its peak memory and what it worked on."""

    stage: str
    seconds: float | None
    peak_mib: float | None = None
    items: int | None = None
    unit: str = "items"
    indent: bool = False
    cpu_seconds: float | None = None


def _cell(value: float | None, width: int, decimals: int) -> str:
    """A number right-aligned in a column, or a dash where there is none."""
    return f"{value:{width},.{decimals}f}" if value is not None else f"{'-':>{width}}"


def format_table(rows: list[Row]) -> str:
    """The report as a plain-text table, with wall seconds per 1,000 items where there are items.

    >>> print(format_table([Row("build", 12.5, 800, 14070, cpu_seconds=20.1),
    ...                     Row("write-pages", 9.0, 790, 28000, "pages", True)]))
    stage                       wall s      CPU s  peak MiB              items  s / 1000
    -----------------------  ---------  ---------  --------  -----------------  --------
    build                        12.50      20.10       800       14,070 items     0.888
      write-pages                 9.00          -       790       28,000 pages     0.321
    """
    widths = (23, 9, 9, 8, 17, 8)
    titles = ("wall s", "CPU s", "peak MiB", "items", "s / 1000")
    header = f"{'stage':<23}  " + "  ".join(f"{t:>{w}}" for t, w in zip(titles, widths[1:], strict=True))
    lines = [header, "  ".join("-" * width for width in widths)]
    for row in rows:
        name = ("  " if row.indent else "") + row.stage
        items = f"{row.items:,} {row.unit}" if row.items else "-"
        rate = 1000 * row.seconds / row.items if row.items and row.seconds is not None else None
        cells = (
            f"{name:<23}",
            _cell(row.seconds, 9, 2),
            _cell(row.cpu_seconds, 9, 2),
            _cell(row.peak_mib, 8, 0),
            f"{items:>17}",
            _cell(rate, 8, 3),
        )
        lines.append("  ".join(cells))
    return "\n".join(lines)


# --- the synthetic network ----------------------------------------------------------------

# fmt: off
REAL_CITIES = [
    # slug, de, en, local, local_latin, country, timezone, languages, lat, lon, partner city since
    ("hannover", "Hannover", "Hanover", "Hannover", None, "DE", "Europe/Berlin", ["de"], 52.3744, 9.7386, None),
    ("leipzig", "Leipzig", "Leipzig", "Leipzig", None, "DE", "Europe/Berlin", ["de"], 51.3397, 12.3731, 1987),
    ("bristol", "Bristol", "Bristol", "Bristol", None, "GB", "Europe/London", ["en"], 51.4545, -2.5879, 1947),
    ("rouen", "Rouen", "Rouen", "Rouen", None, "FR", "Europe/Paris", ["fr"], 49.4431, 1.0993, 1966),
    ("perpignan", "Perpignan", "Perpignan", "Perpignan", None, "FR", "Europe/Paris", ["fr", "ca"], 42.6887, 2.8948, 1960),
    ("poznan", "Posen", "Poznań", "Poznań", None, "PL", "Europe/Warsaw", ["pl"], 52.4064, 16.9252, 1979),
    ("hiroshima", "Hiroshima", "Hiroshima", "広島市", "Hiroshima", "JP", "Asia/Tokyo", ["ja"], 34.3853, 132.4553, 1983),
    ("blantyre", "Blantyre", "Blantyre", "Blantyre", None, "MW", "Africa/Blantyre", ["en", "ny"], -15.7861, 35.0058, 1968),
]
# fmt: on

SYNTHETIC_COUNTRIES = [
    # country, timezone, languages, the local word for "city" (None: Latin script, no local_latin)
    ("IT", "Europe/Rome", ["it"], None),
    ("ES", "Europe/Madrid", ["es", "ca"], None),
    ("PT", "Europe/Lisbon", ["pt"], None),
    ("BR", "America/Sao_Paulo", ["pt"], None),
    ("US", "America/Chicago", ["en", "es"], None),
    ("CA", "America/Toronto", ["en", "fr"], None),
    ("MX", "America/Mexico_City", ["es"], None),
    ("KR", "Asia/Seoul", ["ko"], "도시"),
    ("IN", "Asia/Kolkata", ["hi", "en"], "नगर"),
    ("AU", "Australia/Melbourne", ["en"], None),
    ("NZ", "Pacific/Auckland", ["en", "mi"], None),
    ("ZA", "Africa/Johannesburg", ["en", "zu"], None),
    ("KE", "Africa/Nairobi", ["sw", "en"], None),
    ("EG", "Africa/Cairo", ["ar"], "مدينة"),
    ("TR", "Europe/Istanbul", ["tr"], None),
    ("SE", "Europe/Stockholm", ["sv"], None),
    ("AR", "America/Argentina/Buenos_Aires", ["es"], None),
    ("ID", "Asia/Jakarta", ["id"], None),
    ("JP", "Asia/Tokyo", ["ja"], "市"),
    ("CO", "America/Bogota", ["es"], None),
]


def _words(text: str) -> list[str]:
    """The words of a text.

    >>> _words("Anna  Łucja")
    ['Anna', 'Łucja']
    """
    return text.split()


FIRST_NAMES = _words(
    "Anna Jonas Lena Mara Tomasz Agnieszka Claire Jules Mizuki Haruto Tiwonge Chikondi Oliver "
    "Grace Zofia Élodie Søren Łucja Kenji Amara Noah Ines Mateo Yuki Farah Lukas Marta Sipho "
    "Aiyana Dorota Émile Hannah Kwame Leonie Pavel Rosa Tariq Valentina Wanjiru Zeynep"
)
LAST_NAMES = _words(
    "Engel Brettschneider Wróblewska Vidal Roig Tanabe Kalua Fairweather Nowak Dubois Okafor "
    "Schäfer Moreau Kowalczyk Sato Phiri Hughes Lindqvist Ferreira Yılmaz Banda Castellanos "
    "Dąbrowski Eriksen García Hoffmann Ishikawa Jansen Kamau Lefèvre Mwale Novak Osei Petit"
)
GROUP_WORDS = _words(
    "Klang Licht Nord Hafen Linden Kanal Atelier Bühne Studio Echo Raum Garten Brücke Welle "
    "Spiegel Stern Wald Faden Farbe Puls Ufer Werk Zeit"
)
GROUP_KINDS = {
    "ensemble": ("Ensemble", "Kollektiv", "Collective", "Quartet", "Trio", "Chor", "Band", "Company"),
    "organisation": ("Kulturverein", "Foundation", "Association", "Stiftung", "Institute", "Agency"),
    "venue": ("Halle", "Theater", "Gallery", "Club", "Kulturhaus", "Studio", "Werkstatt"),
    "initiative": ("Initiative", "Netzwerk", "Lab", "Festival", "Project", "Salon"),
}

SENTENCES = {
    "de": (
        "{name} arbeitet seit vielen Jahren an der Schnittstelle von {discipline} und Stadtgesellschaft.",
        "Im Mittelpunkt stehen Begegnungen: mit Nachbarinnen und Nachbarn, mit Schulen, mit anderen Künstlerinnen und Künstlern.",
        "Viele Projekte entstehen gemeinsam mit Partnern in {city}, oft über mehrere Jahre.",
        "Proben, Werkstattgespräche und offene Abende wechseln sich ab, und wer mag, kommt einfach vorbei.",
        "Die Arbeiten waren auf Festivals in ganz Europa zu sehen und wurden mehrfach ausgezeichnet.",
        "Wichtig ist die Frage, wie Kunst Räume öffnet, die sonst verschlossen bleiben.",
        "Neben der eigenen Arbeit stehen Workshops für Jugendliche und Erwachsene auf dem Programm.",
        "Für die kommende Saison sind Gastspiele, eine Residenz und eine Publikation geplant.",
        "Gearbeitet wird auf Deutsch und Englisch, bei Bedarf auch mit Übersetzung.",
        "Das Archiv der bisherigen Projekte ist öffentlich zugänglich und wächst mit jeder Produktion.",
    ),
    "en": (
        "{name} has worked for many years where {discipline} meets the life of the city.",
        "At the heart of it are encounters: with neighbours, with schools, with other artists.",
        "Many projects grow together with partners in {city}, often over several years.",
        "Rehearsals, studio talks and open evenings take turns, and anyone who is curious can drop in.",
        "The work has been shown at festivals across Europe and has won several awards.",
        "The guiding question is how art can open spaces that would otherwise stay closed.",
        "Besides their own work, there are workshops for young people and adults.",
        "Tours, a residency and a publication are planned for the coming season.",
        "Work happens in English and German, with interpreting where it helps.",
        "The archive of past projects is open to everyone and grows with each production.",
    ),
}
SUMMARIES = {
    "de": "{name}: {discipline} aus {city}, mit Workshops, Kooperationen und offenen Proben.",
    "en": "{name}: {discipline} from {city}, with workshops, cooperations and open rehearsals.",
}
CALL_TITLES = {
    "open_call": "Open call: {discipline} in {city} {year}",
    "cooperation": "Partner wanted for a {discipline} project in {city}",
    "residency": "Residency for {discipline} in {city} {year}",
    "funding": "Funding for international {discipline} projects {year}",
    "commission": "Commission: new work in {discipline} for {city}",
}
NEWS_TITLES = {
    "news": "{city}: new season of {discipline} announced",
    "event": "{discipline} evening in {city}",
    "cooperation": "{city} and {other} work together on {discipline}",
    "knowledge": "How to apply for {discipline} funding: a guide from {city}",
}


def _colour(rng: random.Random) -> tuple[int, int, int]:
    """A random RGB colour."""
    return rng.randrange(256), rng.randrange(256), rng.randrange(256)


def draw_picture(seed: str, size: tuple[int, int], tag: int) -> bytes:
    """A small JPEG of random blocks; ``tag`` is drawn as a bar code, so every tag's bytes differ."""
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size, _colour(rng))
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(8, 16)):
        left, top = rng.randrange(width), rng.randrange(height)
        draw.rectangle(
            (left, top, left + rng.randint(16, width // 2), top + rng.randint(16, height // 2)),
            fill=_colour(rng),
        )
    bits, cell = 24, width // 24
    for bit in range(bits):
        fill = (255, 255, 255) if tag >> bit & 1 else (0, 0, 0)
        draw.rectangle((bit * cell, height - 12, (bit + 1) * cell - 1, height - 1), fill=fill)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _fit(text: str, limit: int) -> str:
    """Shorten a text to a field's length limit, at a word.

    >>> _fit("one two three", 8)
    'one two…'
    """
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not text[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


def yaml_text(meta: dict) -> str:
    """An item's YAML as the generator writes it: keys in order, Unicode as is.

    >>> yaml_text({"name": "Łucja", "since": "2026-11-27"})
    "name: Łucja\\nsince: '2026-11-27'\\n"
    """
    dumper = yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper
    return yaml.dump(meta, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)


def markdown_text(meta: dict, body: str) -> str:
    """A Markdown file with YAML front matter."""
    return f"---\n{yaml_text(meta)}---\n\n{body}"


def read_markdown(path: Path) -> tuple[dict, str]:
    """A generated Markdown file's front matter (dates stay strings) and body."""
    text = path.read_text("utf-8")
    match = FRONT_MATTER.match(text)
    if match is None:
        raise ValueError(f"{path}: no front matter")
    return yaml.load(match.group(1), Loader=StrictSafeLoader), text[match.end() :].lstrip("\n")


@dataclass
class City:
    """What the generator needs to know about a city it wrote."""

    slug: str
    name: str
    country: str
    timezone: str
    languages: list[str]


@dataclass
class NetworkGenerator:
    """Writes a valid synthetic network into a content folder, one file at a time."""

    content: Path
    sizes: dict[str, int]
    today: dt.date
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    cities: list[City] = field(default_factory=list)
    disciplines: list[str] = field(default_factory=list)
    profiles: list[str] = field(default_factory=list)
    slugs: set[tuple[str, str]] = field(default_factory=set)
    files: int = 0
    images: int = 0
    bytes_written: int = 0

    def new_id(self) -> str:
        """A version-4 UUID from the seeded generator."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def slug_for(self, folder: str, title: str) -> str:
        """A slug for a title, unique within its folder."""
        base = make_slug(title, max_length=72)
        slug, number = base, 1
        while (folder, slug) in self.slugs:
            number += 1
            slug = f"{base}-{number}"
        self.slugs.add((folder, slug))
        return slug

    def write(self, path: Path, data: bytes) -> None:
        """Write one file and count it."""
        path.write_bytes(data)
        self.files += 1
        self.bytes_written += len(data)

    def write_item(self, folder: str, slug: str, meta: dict, body: str | None) -> None:
        """Write a YAML file, or a Markdown file with front matter when there is a body."""
        if body is None:
            self.write(self.content / folder / f"{slug}.yaml", yaml_text(meta).encode())
        else:
            self.write(self.content / folder / f"{slug}.md", markdown_text(meta, body).encode())

    def write_picture(self, folder: str, name: str, size: tuple[int, int]) -> None:
        """Write a distinct picture beside an item."""
        self.images += 1
        self.write(self.content / folder / name, draw_picture(f"{SEED}-{folder}-{name}", size, self.images))

    def run(self) -> None:
        """Write the whole network, logging progress about every tenth of the way."""
        repo = find_repo()
        for folder in ("cities", "profiles", "calls", "news"):
            (self.content / folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(repo / "content" / "disciplines.yaml", self.content / "disciplines.yaml")
        listed = yaml.safe_load((self.content / "disciplines.yaml").read_text("utf-8"))
        self.disciplines = [entry["slug"] for entry in listed["disciplines"]]
        for index in range(self.sizes["cities"]):
            self.city(index)
        total = self.sizes["profiles"] + self.sizes["calls"] + self.sizes["news"]
        done, step = 0, max(1, total // 10)
        for kind, make in (("profiles", self.profile), ("calls", self.call), ("news", self.news)):
            for index in range(self.sizes[kind]):
                make(index)
                done += 1
                if done % step == 0 or done == total:
                    logger.info(
                        "generate: %s of %s items (%d%%)", f"{done:,}", f"{total:,}", 100 * done // total
                    )

    # --- one item of each type ---

    def city(self, index: int) -> None:
        """Write city number ``index``: the first eight look real, the rest are numbered."""
        rng = self.rng
        if index < len(REAL_CITIES):
            slug, de, en, local, latin, country, timezone, languages, lat, lon, since = REAL_CITIES[index]
        else:
            country, timezone, languages, word = SYNTHETIC_COUNTRIES[index % len(SYNTHETIC_COUNTRIES)]
            slug, de, en = f"city-{index:03d}", f"Stadt {index:03d}", f"City {index:03d}"
            local, latin = (f"{word} {index:03d}", en) if word else (en, None)
            lat, lon = round(rng.uniform(-45, 65), 4), round(rng.uniform(-179, 179), 4)
            since = rng.choice([None, rng.randint(1950, 2024)])
        names = {"de": de, "en": en, "local": local} | ({"local_latin": latin} if latin else {})
        meta = {
            "id": self.new_id(),
            "names": names,
            "country": country,
            "timezone": timezone,
            "coordinates": {"lat": lat, "lon": lon},
            "languages": languages,
            "relations": [{"kind": "partner_city", "since": since}] if since else [],
            "description": {
                "de": f"{de} ist eine Stadt des Netzwerks mit Theatern, Ateliers, Chören und einer lebendigen "
                "freien Szene, die gern mit Partnern in anderen Städten arbeitet.",
                "en": f"{en} is a city of the network with theatres, studios, choirs and a lively independent "
                "scene that likes to work with partners in other cities.",
            },
            "website": f"https://www.{slug}.example/",
        }
        self.write_item("cities", slug, meta, None)
        self.cities.append(City(slug, en, country, timezone, languages))

    def _body(self, lang: str, name: str, discipline: str, city: str, links: bool) -> str:
        """A few paragraphs of Markdown, sometimes with a list or a link."""
        rng = self.rng
        paragraphs = []
        for _ in range(rng.randint(3, 5)):
            sentences = rng.sample(SENTENCES[lang], rng.randint(3, 5))
            paragraphs.append(
                " ".join(s.format(name=name, discipline=discipline, city=city) for s in sentences)
            )
        if rng.random() < 0.25:
            paragraphs.insert(
                1,
                "\n".join(
                    f"- {s.format(name=name, discipline=discipline, city=city)}"
                    for s in rng.sample(SENTENCES[lang], 3)
                ),
            )
        if links:
            paragraphs.append(f"More: [**{name}**](https://{make_slug(name)}.example/)")
        return "\n\n".join(paragraphs) + "\n"

    def _pick_cities(self, most: int) -> list[City]:
        """Distinct random cities, the real ones more often."""
        rng = self.rng
        chosen: list[City] = []
        for _ in range(rng.randint(1, most)):
            pool = self.cities[: len(REAL_CITIES)] if rng.random() < 0.5 else self.cities
            city = rng.choice(pool)
            if city not in chosen:
                chosen.append(city)
        return chosen

    def _day(self, low: int, high: int) -> dt.date:
        """A day between ``low`` and ``high`` days from today."""
        return self.today + dt.timedelta(days=self.rng.randint(low, high))

    def profile(self, index: int) -> None:
        """Write profile number ``index`` and its photo."""
        rng = self.rng
        kind = rng.choice(("person", "person", "person", "ensemble", "organisation", "venue", "initiative"))
        cities = self._pick_cities(3)
        if kind == "person":
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        else:
            name = f"{rng.choice(GROUP_KINDS[kind])} {rng.choice(GROUP_WORDS)} {cities[0].name}"
        slug = self.slug_for("profiles", name)
        disciplines = rng.sample(self.disciplines, rng.randint(1, 3))
        lang = rng.choice(("de", "en"))
        words = {"name": name, "discipline": disciplines[0].replace("-", " "), "city": cities[0].name}
        links: dict[str, object] = {"website": f"https://{slug}.example/"}
        if rng.random() < 0.5:
            links["instagram"] = f"https://www.instagram.com/{slug.replace('-', '.')}/"
        if rng.random() < 0.2:
            links["youtube"] = f"https://www.youtube.com/@{slug}"
        if rng.random() < 0.1:
            links["other"] = [f"https://press.example/{slug}"]
        meta: dict[str, object] = {
            "id": self.new_id(),
            "name": name,
            "kind": kind,
            "cities": [c.slug for c in cities],
            "disciplines": disciplines,
            "languages": sorted({lang, *rng.choice(cities).languages}),
            "summary": _fit(SUMMARIES[lang].format(**words), 280),
            "photo": {"file": f"{slug}.jpg", "alt": f"Abstract coloured blocks, the picture of {name}"},
            "links": links,
        }
        if rng.random() < 0.4:
            meta["email"] = f"{slug}@example.org"
        if rng.random() < 0.5:
            meta["looking_for"] = _fit(
                " ".join(s.format(**words) for s in rng.sample(SENTENCES[lang], 2)), 1000
            )
        meta["consent"] = {"date": self._day(-900, -1).isoformat(), "version": "1"}
        meta["lang"] = lang
        self.write_item(
            "profiles",
            slug,
            meta,
            self._body(lang, name, words["discipline"], words["city"], rng.random() < 0.3),
        )
        self.write_picture("profiles", f"{slug}.jpg", PHOTO_SIZE)
        self.profiles.append(slug)

    def call(self, index: int) -> None:
        """Write call number ``index``; its deadline lies within a year of today, the first one's today at noon."""
        rng = self.rng
        kind = rng.choice(tuple(CALL_TITLES))
        cities = self._pick_cities(3)
        disciplines = rng.sample(self.disciplines, rng.randint(1, 3))
        deadline = dt.datetime.combine(
            self._day(-365, 365), dt.time(rng.choice((12, 18, 23)), rng.choice((0, 59)))
        )
        if index == 0:
            deadline = dt.datetime.combine(self.today, dt.time(PASSING_DEADLINE_HOUR))
        words = {
            "discipline": disciplines[0].replace("-", " "),
            "city": cities[0].name,
            "year": deadline.year,
        }
        title = _fit(CALL_TITLES[kind].format(**words), 150)
        slug = self.slug_for("calls", title)
        organiser = (
            {"profile": rng.choice(self.profiles)}
            if self.profiles and rng.random() < 0.5
            else {"name": f"Kulturbüro {cities[0].name}"}
        )
        if rng.random() < 0.6:
            open_to: dict[str, object] = {"everyone": True}
        else:
            open_to = {"cities": [c.slug for c in cities], "countries": sorted({c.country for c in cities})}
        meta: dict[str, object] = {
            "id": self.new_id(),
            "kind": kind,
            "title": title,
            "summary": _fit(
                f"{title}. Applications from artists and groups in {words['discipline']} are "
                "welcome; read the conditions and apply before the deadline.",
                280,
            ),
            "organiser": organiser,
            "cities": [c.slug for c in cities],
            "open_to": open_to,
            "disciplines": disciplines,
            "published": (deadline.date() - dt.timedelta(days=rng.randint(14, 120))).isoformat(),
            "deadline": deadline.strftime("%Y-%m-%d %H:%M"),
        }
        if index == 0:
            meta["timezone"] = BUILD_TIMEZONE
        elif rng.random() < 0.3:
            meta["timezone"] = cities[-1].timezone
        if rng.random() < 0.5:
            meta["opens"] = (deadline.date() - dt.timedelta(days=rng.randint(14, 120))).isoformat()
        results = deadline.date() + dt.timedelta(days=rng.randint(14, 90))
        if rng.random() < 0.5:
            meta["results"] = results.isoformat()
        if kind == "residency" or rng.random() < 0.3:
            start = results + dt.timedelta(days=rng.randint(10, 60))
            meta["period"] = {
                "start": start.isoformat(),
                "end": (start + dt.timedelta(days=rng.randint(7, 90))).isoformat(),
            }
        meta["fee"] = {"amount": "25.00", "currency": "EUR"} if rng.random() < 0.1 else "none"
        meta["covers"] = sorted(
            rng.sample(("fee", "travel", "accommodation", "production"), rng.randint(0, 3))
        )
        meta["apply"] = (
            f"https://apply.example/{slug}" if rng.random() < 0.7 else f"mailto:{slug}@example.org"
        )
        meta["lang"] = "en"
        self.write_item(
            "calls",
            slug,
            meta,
            self._body("en", title, words["discipline"], words["city"], rng.random() < 0.5),
        )

    def news(self, index: int) -> None:
        """Write news item ``index``: about a fifth are events, a tenth have an image."""
        rng = self.rng
        roll = rng.random()
        kind = (
            "event" if roll < 0.2 else "cooperation" if roll < 0.3 else "knowledge" if roll < 0.4 else "news"
        )
        cities = self._pick_cities(3)
        if kind == "cooperation" and len(cities) < 2:
            cities.append(next(c for c in self.cities if c not in cities))
        disciplines = rng.sample(self.disciplines, rng.randint(0, 2)) or [rng.choice(self.disciplines)]
        words = {
            "discipline": disciplines[0].replace("-", " ").capitalize(),
            "city": cities[0].name,
            "other": cities[-1].name,
        }
        title = _fit(NEWS_TITLES[kind].format(**words), 150)
        slug = self.slug_for("news", title)
        meta: dict[str, object] = {"id": self.new_id(), "kind": kind, "title": title}
        if kind == "event":
            start = dt.datetime.combine(self._day(-365, 365), dt.time(rng.choice((11, 15, 19, 20)), 30))
            meta["date"] = (start.date() - dt.timedelta(days=rng.randint(7, 60))).isoformat()
        else:
            meta["date"] = self._day(-365, 365).isoformat()
        meta |= {
            "summary": _fit(f"{title}: what happens, who takes part and how to join in.", 280),
            "cities": [c.slug for c in cities],
            "disciplines": disciplines,
            "profiles": rng.sample(self.profiles, min(len(self.profiles), rng.randint(0, 3))),
        }
        if kind == "event":
            event: dict[str, object] = {"start": start.strftime("%Y-%m-%d %H:%M")}
            if rng.random() < 0.7:
                event["end"] = (start + dt.timedelta(hours=rng.randint(2, 72))).strftime("%Y-%m-%d %H:%M")
            event["venue"] = f"Kulturhaus {rng.choice(GROUP_WORDS)}"
            event["address"] = f"{rng.choice(GROUP_WORDS)}straße {rng.randint(1, 120)}, {cities[0].name}"
            if rng.random() < 0.2:
                event["online"] = f"https://stream.example/{slug}"
            meta["event"] = event
        if index % 10 == 0:
            meta["image"] = {"file": f"{slug}.jpg", "alt": f"Abstract coloured blocks illustrating {title}"}
            self.write_picture("news", f"{slug}.jpg", NEWS_IMAGE_SIZE)
        meta["lang"] = rng.choice(("de", "en"))
        self.write_item(
            "news",
            slug,
            meta,
            self._body(meta["lang"], cities[0].name, words["discipline"], words["other"], rng.random() < 0.3),
        )


def generate_network(content: Path, scale: float, today: dt.date | None = None) -> NetworkGenerator:
    """Write a synthetic network of the given scale into ``content`` and return the generator."""
    generator = NetworkGenerator(content=content, sizes=counts(scale), today=today or dt.date.today())
    generator.run()
    return generator


# --- the image stage ----------------------------------------------------------------------

PHOTO_SAMPLE = 60
"""Photos timed per pipeline, evenly spread over the generated profile photos and news images."""

ROUNDS = 3
"""Each pipeline runs over the sample this often, alternating; the fastest round counts."""

IMAGE_LINE = re.compile(
    r"cucon images: (?P<processed>\d+) processed, (?P<cached>\d+) from cache; "
    r"share cards: (?P<drawn>\d+) drawn, (?P<cards_cached>\d+) from cache; (?P<files>\d+) files written "
    r"in (?P<seconds>[\d.]+) s \((?P<workers>\d+) workers, worker peak (?P<peak>[\d.]+) MiB\)"
)


def parse_image_stats(log: str) -> dict[str, float] | None:
    """The counts of the plugin's image line in a build log (the last one), or None.

    >>> parse_image_stats("INFO cucon images: 3 processed, 1 from cache; share cards: 5 drawn, 0 from cache; "
    ...                   "20 files written in 1.50 s (2 workers, worker peak 41 MiB)")["processed"]
    3.0
    """
    matches = list(IMAGE_LINE.finditer(re.sub(r"\s*\n\s*", " ", log)))
    found = matches[-1] if matches else None
    return {key: float(value) for key, value in found.groupdict().items()} if found else None


def sample_photos(content: Path, count: int) -> list[Path]:
    """Up to ``count`` photos of a generated network, evenly spread, profiles and news alike."""
    photos = sorted((content / "profiles").glob("*.jpg")) + sorted((content / "news").glob("*.jpg"))
    step = max(1, len(photos) // count)
    return photos[::step][:count]


def _plans(photos: list[Path]):
    """The header and plan of each photo, as the build makes them."""
    from cucon.images import ImageConfig, inspect, plan_image

    config = ImageConfig()
    planned = []
    for path in photos:
        kind = "profile" if path.parent.name == "profiles" else "news"
        info = inspect(path)
        planned.append((path, info, plan_image(info, kind, path.stem, path.name, (0.5, 0.5), config)))
    return planned, config


def ours(planned, config, folder: Path) -> None:
    """cucon.images on one core, as a worker runs it: header check, hash, clean, resize, encode, cache."""
    from cucon import images

    images._inspect_cached.cache_clear()
    for path, _, plan in planned:
        info = images.inspect(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        key = images.image_key(digest, plan, config)
        job = images.Job(key, str(folder / key), str(path), digest, info, plan, config=config)
        result = images.run_job(job)
        if result.error:
            raise RuntimeError(result.error)


def reference(planned, config, folder: Path) -> None:
    """A bare Pillow pipeline: draft decode, the same crop, resizes and encodes, written to files."""
    from cucon.images import _draft_size, encode

    folder.mkdir(parents=True, exist_ok=True)
    for index, (path, info, plan) in enumerate(planned):
        with Image.open(path) as image:
            image.draft("RGB", _draft_size(info, plan))
            image = image.convert("RGB")
        width, height = image.size
        side = min(width, height)
        box = (
            ((width - side) / 2, (height - side) / 2, (width + side) / 2, (height + side) / 2)
            if plan.crop
            else (0, 0, width, height)
        )
        largest = plan.largest
        base = image.resize((largest.width, largest.height), Image.Resampling.LANCZOS, box=box)
        for rendition in plan.renditions:
            size = (rendition.width, rendition.height)
            picture = base if size == base.size else base.resize(size, Image.Resampling.LANCZOS)
            encode(picture, rendition, config, folder / f"{index}-{rendition.name}")


@dataclass
class PerPhoto:
    """Seconds per photo of cucon.images and of the bare Pillow reference, on one core."""

    photos: int
    ours: float
    reference: float

    @property
    def ratio(self) -> float:
        """How many times the reference's time ours takes."""
        return self.ours / self.reference if self.reference else float("nan")


def measure_per_photo(photos: list[Path], scratch: Path) -> PerPhoto:
    """Time both pipelines over the same photos, alternating rounds; the fastest round of each counts."""
    planned, config = _plans(photos)
    best = {"ours": float("inf"), "reference": float("inf")}
    for round_number in range(ROUNDS):
        for name, pipeline in (("reference", reference), ("ours", ours)):
            folder = scratch / f"per-photo-{name}-{round_number}"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            started = time.perf_counter()
            pipeline(planned, config, folder)
            best[name] = min(best[name], time.perf_counter() - started)
            shutil.rmtree(folder, ignore_errors=True)
    count = max(1, len(planned))
    return PerPhoto(len(planned), best["ours"] / count, best["reference"] / count)


def python_markdown_html(text: str) -> str:
    """A body rendered the way the build did before cmark-gfm: Python-Markdown, then nh3 alike."""
    import markdown

    html = markdown.markdown(text, extensions=["extra", "sane_lists", "smarty"], output_format="html")
    return sanitise(H1_TAG.sub(r"<\1h2", html))


RENDERERS = {"Python-Markdown": python_markdown_html, "cmark-gfm": render_markdown}
"""The render stage's renderer before the change, and the build's renderer now."""


def markdown_bodies(content: Path) -> list[str]:
    """The non-empty Markdown body of every content file below a folder, in a stable order."""
    bodies = []
    for path in sorted(content.rglob("*.md")):
        text = path.read_text("utf-8-sig")
        match = FRONT_MATTER.match(text)
        body = text[match.end() :] if match else ""
        if body.strip():
            bodies.append(body)
    return bodies


@dataclass
class RenderFigures:
    """Seconds of each renderer over the same bodies, on one core: the fastest of alternating rounds."""

    bodies: int
    characters: int
    seconds: dict[str, float]

    def per_thousand(self, renderer: str) -> float:
        """Seconds per 1,000 bodies."""
        return 1000 * self.seconds[renderer] / max(1, self.bodies)


def measure_render(bodies: list[str], rounds: int = ROUNDS) -> RenderFigures:
    """Render the same bodies with each renderer of :data:`RENDERERS`, alternating rounds."""
    best = dict.fromkeys(RENDERERS, float("inf"))
    for _ in range(rounds):
        for name, render in RENDERERS.items():
            started = time.perf_counter()
            for body in bodies:
                render(body)
            best[name] = min(best[name], time.perf_counter() - started)
    return RenderFigures(len(bodies), sum(map(len, bodies)), best)


def render_report(figures: RenderFigures) -> list[str]:
    """The lines of the report about the render stage before and after the renderer change.

    >>> print("\\n".join(render_report(RenderFigures(2000, 10**6, {"Python-Markdown": 4.0, "cmark-gfm": 0.5}))))
    render stage (2,000 Markdown bodies, 1,000,000 characters, one core, nh3 after each):
      before  Python-Markdown      2.000 s per 1,000 bodies
      now     cmark-gfm            0.250 s per 1,000 bodies  (8.0x faster)
    """
    before, now = (figures.per_thousand(name) for name in RENDERERS)
    speedup = before / now if now else float("nan")
    return [
        f"render stage ({figures.bodies:,} Markdown bodies, {figures.characters:,} characters, one core, "
        "nh3 after each):",
        f"  before  {'Python-Markdown':18} {before:7.3f} s per 1,000 bodies",
        f"  now     {'cmark-gfm':18} {now:7.3f} s per 1,000 bodies  ({speedup:.1f}x faster)",
    ]


def image_report(first_log: str, second_log: str, per_photo: PerPhoto) -> list[str]:
    """The lines of the report about the image stage."""
    first, second = parse_stages(first_log).get("copy-images"), parse_stages(second_log).get("copy-images")
    counts_first, counts_second = parse_image_stats(first_log), parse_image_stats(second_log)
    lines = ["image stage (the plugin's copy-images: photos and share cards):"]
    if first and counts_first:
        lines.append(
            f"  first build   {first[0]:8.2f} s  {counts_first['processed']:,.0f} photos processed, "
            f"{counts_first['drawn']:,.0f} share cards drawn, {counts_first['files']:,.0f} files, "
            f"{counts_first['workers']:.0f} workers; peak {first[1] or 0:.0f} MiB build process, "
            f"{counts_first['peak']:.0f} MiB per worker"
        )
    if first and second and counts_second:
        share = 100 * second[0] / first[0] if first[0] else float("nan")
        verdict = "ok" if share <= 2 else "over target"
        lines.append(
            f"  second build  {second[0]:8.2f} s  = {share:.1f} % of the first (target <= 2 %: {verdict}); "
            f"{counts_second['processed']:,.0f} photos processed, {counts_second['drawn']:,.0f} cards drawn, "
            f"{counts_second['cached'] + counts_second['cards_cached']:,.0f} from cache"
        )
    verdict = "ok" if per_photo.ratio <= 1.3 else "over target"
    lines.append(
        f"  per photo, one core, {per_photo.photos} photos: cucon.images {1000 * per_photo.ours:.1f} ms, "
        f"bare Pillow {1000 * per_photo.reference:.1f} ms = {per_photo.ratio:.2f}x (target <= 1.3x: {verdict})"
    )
    return lines


# --- the search stage ---------------------------------------------------------------------

INDEX_SHARE_TARGET = 15.0
"""Percent of the clean build's wall time that indexing may take at most."""

TRANSFER_TARGET_KB = 300.0
"""kB (1,000 bytes) of index data (meta, index chunks, filters, fragments) a first query may transfer at most."""

INDEX_DATA_KINDS = frozenset({"meta", "index", "filter", "fragment"})
"""The bundle files that hold the index (the issue's "index chunks and fragments together"): not
Pagefind's code (scripts, wasm), which is the same for every site and cached after the first visit."""

LATENCY_TARGET_MS = 300.0
"""Milliseconds from a search to the data of its first results, median of the queries, at most."""

SEARCH_BUNDLE = "/pagefind/"
"""Where cucon_search writes the Pagefind bundle (CUCON_SEARCH_BUNDLE, SITEURL empty)."""

SEARCH_PAGE = "/"
"""The page the queries run on: any page of the site; its ``<html lang>`` picks Pagefind's index."""

FIRST_QUERY = "workshops"
"""The common word of the first query: every profile's summary has it, in German and English alike."""

FIRST_RESULTS = 5
"""Results whose data each query loads: the first page of results in Pagefind's UI."""

QUERY_COUNT = 20
"""Queries timed in the warm browser context, each a different word."""

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
"""Chromium's flags here and in the browser tests: no phoning home (this machine's network is closed), runs as root."""

SEARCH_JS = """async ({bundle, word, first}) => {
    const started = performance.now();
    const pagefind = await import(bundle + "pagefind.js");
    await pagefind.init();
    const searching = performance.now();
    const search = await pagefind.search(word);
    const data = await Promise.all(search.results.slice(0, first).map((result) => result.data()));
    const done = performance.now();
    return {ms: done - searching, total_ms: done - started, results: search.results.length, loaded: data.length};
}"""
"""One query as the search UI runs it, without its debounce: search, then the data of the first results."""

INDEX_LINE = re.compile(r"cucon search: (?P<pages>\d+) pages indexed")
"""cucon_search's count of the pages it indexed."""


def chromium_executable() -> str:
    """The Chromium the browser tests use: ``$CUCON_CHROMIUM`` or Debian's; Playwright never downloads one."""
    return os.environ.get("CUCON_CHROMIUM", "/usr/bin/chromium")


def query_words(count: int = QUERY_COUNT) -> list[str]:
    """Distinct words of the generated texts, 4 to 10 letters, picked with the seed; never the first query's.

    >>> words = query_words()
    >>> len(words), len(set(words)), all(4 <= len(w) <= 10 for w in words), FIRST_QUERY in words
    (20, 20, True, False)
    >>> query_words() == words
    True
    """
    texts = [*SENTENCES["de"], *SENTENCES["en"], *SUMMARIES.values(), *GROUP_WORDS, *LAST_NAMES]
    text = re.sub(r"\{\w+\}", " ", " ".join(texts + [city[1] for city in REAL_CITIES]))
    vocabulary = {word.lower() for word in re.findall(r"[^\W\d_]+", text) if 4 <= len(word) <= 10}
    return random.Random(SEED).sample(sorted(vocabulary - {FIRST_QUERY}), count)


def bundle_file_kind(path: str) -> str:
    """What a file of the Pagefind bundle is, by its URL path.

    >>> [bundle_file_kind(p) for p in ("/pagefind/pagefind.js", "/pagefind/wasm.de.pagefind",
    ...  "/pagefind/pagefind.de_7a8c.pf_meta", "/pagefind/index/de_1.pf_index", "/pagefind/fragment/de_2.pf_fragment")]
    ['script', 'wasm', 'meta', 'index', 'fragment']
    """
    name = path.rsplit("/", 1)[-1]
    for kind, test in (
        ("script", name.endswith(".js")),
        ("entry", name.endswith(".json")),
        ("wasm", name.endswith(".pagefind")),
        ("meta", name.endswith(".pf_meta")),
        ("index", "/index/" in path),
        ("fragment", "/fragment/" in path),
        ("filter", "/filter/" in path),
    ):
        if test:
            return kind
    return "other"


class SearchSkipped(Exception):
    """The browser part cannot run here: no Playwright or no Chromium."""


@dataclass
class SearchFigures:
    """What Chromium measured of the search: a cold first query's transfer, then warm queries' latency."""

    browser: str
    transfer: int
    """Bytes of the responses under the bundle: Playwright's responseHeadersSize + responseBodySize."""
    by_kind: dict[str, tuple[int, int]]
    """Files and bytes by kind of bundle file (bundle_file_kind)."""
    compressed: int
    """``transfer`` with the bundle's scripts and JSON gzipped, as a host would (its other files already are)."""
    first_ms: float
    """The first query from importing pagefind.js to the data of its first results, cold."""
    first_results: int
    words: list[str]
    latencies: list[float]
    results: list[int]

    @property
    def index_data(self) -> int:
        """Bytes of the index files among the transfer: what grows with the network."""
        return sum(size for kind, (_, size) in self.by_kind.items() if kind in INDEX_DATA_KINDS)

    @property
    def median_ms(self) -> float:
        """The median latency of the warm queries."""
        return statistics.median(self.latencies)


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files like a static host (``/x/`` → ``/x/index.html``), logging to ``logging``, not stderr."""

    def log_message(self, format: str, *args: object) -> None:
        """Log each request at debug level."""
        logger.debug("%s %s", self.address_string(), format % args)


class _QuietServer(ThreadingHTTPServer):
    """A threading HTTP server whose handler errors (a browser dropping a connection) go to the log."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        """Log an error in a request handler instead of printing a traceback."""
        logger.debug("error while serving %s: %r", client_address, sys.exc_info()[1])


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a folder at 127.0.0.1 on a free port from a thread; the origin, until the block ends."""
    server = _QuietServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, name="bench-site-server", daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _gzipped_size(output: Path, path: str, body: int) -> int:
    """A bundle file's body size as a host that compresses scripts and JSON would send it."""
    if not path.endswith((".js", ".json")):
        return body
    file = output / path.lstrip("/")
    return len(gzip.compress(file.read_bytes(), 6)) if file.is_file() else body


def measure_search(output: Path) -> SearchFigures:
    """Serve a built site and query its search index in headless Chromium; SearchSkipped without a browser."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise SearchSkipped("no Playwright: pip install -e '.[test]'") from exc
    executable = chromium_executable()
    if not Path(executable).is_file():
        raise SearchSkipped(f"no Chromium at {executable}: apt-get install chromium, or set CUCON_CHROMIUM")
    with serve(output) as origin, sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, headless=True
            )
        except PlaywrightError as exc:
            raise SearchSkipped(
                f"Chromium at {executable} did not start: {exc.message.splitlines()[0]}"
            ) from exc
        try:
            # A fresh context: an empty cache, so the first query fetches everything it needs.
            context = browser.new_context(service_workers="block")
            context.set_default_timeout(60_000)
            responses = []
            context.on(
                "response",
                lambda response: (
                    responses.append(response)
                    if urlsplit(response.url).path.startswith(SEARCH_BUNDLE)
                    else None
                ),
            )
            page = context.new_page()
            page.goto(origin + SEARCH_PAGE, wait_until="load")
            before = len(responses)
            arguments = {"bundle": SEARCH_BUNDLE, "first": FIRST_RESULTS}
            first = page.evaluate(SEARCH_JS, arguments | {"word": FIRST_QUERY})
            counted = responses[before:]
            by_kind: dict[str, tuple[int, int]] = {}
            transfer = compressed = 0
            for response in counted:
                response.finished()
                sizes = response.request.sizes()
                # Chromium reports a body size of 0 for a worker's script (pagefind-worker.js): take
                # Content-Length there, which is the body's size as this server does not compress.
                headers = sizes["responseHeadersSize"]
                body = sizes["responseBodySize"] or int(response.headers.get("content-length", 0))
                path = urlsplit(response.url).path
                kind = bundle_file_kind(path)
                files, size = by_kind.get(kind, (0, 0))
                by_kind[kind] = (files + 1, size + headers + body)
                transfer += headers + body
                compressed += headers + _gzipped_size(output, path, body)
            words = query_words()
            runs = [page.evaluate(SEARCH_JS, arguments | {"word": word}) for word in words]
            figures = SearchFigures(
                browser=f"Chromium {browser.version}",
                transfer=transfer,
                by_kind=by_kind,
                compressed=compressed,
                first_ms=first["total_ms"],
                first_results=first["results"],
                words=words,
                latencies=[run["ms"] for run in runs],
                results=[run["results"] for run in runs],
            )
            context.close()
            return figures
        finally:
            browser.close()


def _verdict(passed: bool) -> str:
    """PASS or MISS."""
    return "PASS" if passed else "MISS"


def search_report(build: ChildRun, figures: SearchFigures | str) -> list[str]:
    """The lines of the report about the search: indexing share, and Chromium's figures or why there are none."""
    lines = ["search (cucon_search's Pagefind index):"]
    indexing = parse_stages(build.output).get("search-index")
    if indexing:
        share = 100 * indexing[0] / build.seconds
        lines.append(
            f"  indexing      {indexing[0]:8.2f} s  = {share:.1f} % of the clean build's {build.seconds:.2f} s "
            f"(target <= {INDEX_SHARE_TARGET:g} %: {_verdict(share <= INDEX_SHARE_TARGET)})"
        )
    if isinstance(figures, str):
        lines.append(f"  in Chromium   skipped: {figures}")
        return lines
    kb = figures.index_data / 1000
    kinds = ", ".join(
        f"{kind} {size / 1000:.1f} kB ({files})" for kind, (files, size) in sorted(figures.by_kind.items())
    )
    lines += [
        f"  first query   {kb:8.1f} kB  of index data (meta, index chunks, filters, fragments) for {FIRST_QUERY!r} "
        f"on {SEARCH_PAGE}, cold: Pagefind's start, the search and the data of the first {FIRST_RESULTS} of "
        f"{figures.first_results:,} results, {figures.first_ms:.0f} ms "
        f"(target <= {TRANSFER_TARGET_KB:g} kB: {_verdict(kb <= TRANSFER_TARGET_KB)})",
        f"                all bundle files {figures.transfer / 1000:.1f} kB with Pagefind's code (requests): {kinds}; "
        f"{figures.compressed / 1000:.1f} kB if the host gzips scripts and JSON (this server does not compress)",
        f"  {len(figures.latencies)} queries    {figures.median_ms:8.1f} ms  median, max "
        f"{max(figures.latencies):.1f} ms, from search() to the data of the first {FIRST_RESULTS} results, warm "
        f"(target median <= {LATENCY_TARGET_MS:g} ms: {_verdict(figures.median_ms <= LATENCY_TARGET_MS)}); "
        f"{sum(1 for n in figures.results if n)} of {len(figures.results)} with results",
        f"                words (results): {', '.join(f'{w} ({n:,})' for w, n in zip(figures.words, figures.results, strict=True))}; "
        f"{figures.browser} headless, "
        "served from 127.0.0.1 by Python's http.server",
    ]
    return lines


# --- running and measuring ----------------------------------------------------------------


def find_repo() -> Path:
    """The repository: the folder holding pelicanconf.py, above this module or the working directory."""
    for start in (Path(__file__).resolve().parent, Path.cwd().resolve()):
        for folder in (start, *start.parents):
            if (folder / "pelicanconf.py").is_file():
                return folder
    raise FileNotFoundError("no pelicanconf.py above the cucon package or the working directory")


@dataclass
class ChildRun:
    """A finished child process: exit code, wall time, peak memory and its output."""

    returncode: int
    seconds: float
    peak_mib: float
    output: str
    cpu_seconds: float = 0.0
    """User + system time of the child and of the processes it waited for (its workers)."""


def run_child(args: list[str], cwd: Path, env: dict[str, str], log_path: Path) -> ChildRun:
    """Run a command to completion with its output in a log file; measure its time and peak RSS."""
    logger.debug("running %s", " ".join(args))
    started = time.perf_counter()
    with log_path.open("wb") as log:
        process = subprocess.Popen(args, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            # wait4 gives the rusage of this one child, not of all children so far.
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            process.kill()
            process.wait()
            raise
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    output = log_path.read_text("utf-8", errors="replace")
    cpu = usage.ru_utime + usage.ru_stime
    return ChildRun(process.returncode, seconds, maxrss_mib(usage.ru_maxrss), output, cpu)


def _child_env(repo: Path) -> dict[str, str]:
    """The environment of the children: the cucon package and the plugin importable, no line wrapping."""
    env = dict(os.environ)
    paths = [str(repo / "src"), str(repo / "plugins")]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["COLUMNS"] = "400"  # Pelican logs through rich, which wraps long lines at the terminal width
    env.pop("SOURCE_DATE_EPOCH", None)
    return env


def _cucon_command() -> list[str]:
    """The ``cucon`` command of the running interpreter's environment."""
    script = Path(sys.executable).parent / "cucon"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "cucon.cli"]


PELICAN_MAIN = (
    "import logging, sys; from pelican import main; "
    "[logging.getLogger(name).setLevel(logging.INFO) for name in ('cucon_site', 'cucon_feeds', 'cucon_search')]; "
    "sys.argv[0] = 'pelican'; main()"
)
"""``python -m pelican``, with the plugins' INFO lines (its stage times) but without ``--verbose``,
which would log every written page and slow down the build being measured. Pelican is imported
first, so the plugin's logger is still Pelican's and ``--fatal warnings`` still applies to it."""


def _pelican_command(content: Path, output: Path, cache: Path, build_time: str, repo: Path) -> list[str]:
    """Build ``content`` into ``output`` with the repository's settings, theme and plugins, at ``build_time``."""
    overrides = {"CUCON_SAMPLE_DATES_ANCHOR": None, "CACHE_PATH": str(cache), "CUCON_BUILD_TIME": build_time}
    return [
        sys.executable,
        "-c",
        PELICAN_MAIN,
        str(content),
        "-s",
        str(repo / "pelicanconf.py"),
        "-o",
        str(output),
        "--fatal",
        "warnings",
        "-e",
        *(f"{key}={json.dumps(value)}" for key, value in overrides.items()),
    ]


def _failed(stage: str, run: ChildRun, log_path: Path) -> int:
    """Log a failed child with the end of its output; the benchmark's exit code."""
    tail = "\n".join(run.output.rstrip().splitlines()[-25:])
    logger.error(
        "stage %s failed with exit code %d after %.1f s; full log: %s\n%s",
        stage,
        run.returncode,
        run.seconds,
        log_path,
        tail,
    )
    return run.returncode or 1


def output_stats(output: Path) -> tuple[int, int, int]:
    """HTML pages, all files, and total bytes below an output folder."""
    pages = files = size = 0
    for path in output.rglob("*"):
        if path.is_file():
            files += 1
            size += path.stat().st_size
            pages += path.suffix == ".html"
    return pages, files, size


def _files_below(root: Path, ignore: tuple[str, ...]) -> set[str]:
    """The relative paths of the files below ``root``, without those under an ignored path."""
    ignored = {path.strip("/") for path in ignore}
    found: set[str] = set()
    for folder, subfolders, files in os.walk(root):
        relative = Path(folder).relative_to(root).as_posix()
        prefix = "" if relative == "." else f"{relative}/"
        subfolders[:] = [name for name in subfolders if prefix + name not in ignored]
        found.update(prefix + name for name in files if prefix + name not in ignored)
    return found


def compare_trees(a: Path, b: Path, ignore: tuple[str, ...] = ()) -> list[str]:
    """How tree ``a`` differs from the reference tree ``b``, byte for byte, sorted by path.

    Each difference is ``changed PATH`` (in both, other bytes), ``missing PATH`` (only in ``b``)
    or ``extra PATH`` (only in ``a``), with PATH relative and ``/``-separated; nothing under a path
    in ``ignore`` (``"pagefind/"``: that folder below the roots) is compared. Empty: identical.
    """
    filecmp.clear_cache()
    in_a, in_b = _files_below(a, ignore), _files_below(b, ignore)
    differences = []
    for path in sorted(in_a | in_b):
        if path not in in_b:
            differences.append(f"extra {path}")
        elif path not in in_a:
            differences.append(f"missing {path}")
        elif not filecmp.cmp(a / path, b / path, shallow=False):
            differences.append(f"changed {path}")
    return differences


def edit_one_profile(content: Path) -> Path:
    """Change the summary of the first profile on disk, keeping it valid, as an editor's small fix does."""
    path = min((content / "profiles").glob("*.md"))
    meta, body = read_markdown(path)
    meta["summary"] = _fit(f"{meta['summary']} Updated for the benchmark.", 280)
    path.write_text(markdown_text(meta, body), "utf-8")
    return path


# --- the baselines: bare Pelican and Hugo on the same items -------------------------------

PLAIN_FIELDS = {
    "profiles": ("name", lambda meta: meta["consent"]["date"]),
    "calls": ("title", lambda meta: meta["published"]),
    "news": ("title", lambda meta: meta["date"]),
}
"""Per folder of the network: the field that is an item's title, and its date."""


@dataclass
class PlainItem:
    """A profile, call or news item as a plain article: what both baselines build."""

    section: str
    slug: str
    title: str
    date: str
    summary: str
    body: str


def plain_items(content: Path) -> Iterator[PlainItem]:
    """The network's profiles, calls and news items as plain articles, in a stable order."""
    for section, (title_field, date_of) in PLAIN_FIELDS.items():
        for path in sorted((content / section).glob("*.md")):
            meta, body = read_markdown(path)
            yield PlainItem(section, path.stem, meta[title_field], str(date_of(meta)), meta["summary"], body)


PELICAN_BASELINE_SETTINGS = '''"""Bare Pelican for cucon bench: the default theme, no plugins, the network's items as plain articles."""

AUTHOR = "cucon bench"
SITENAME = "CuCon baseline"
SITEURL = ""
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"
PLUGINS = []
RELATIVE_URLS = True
DELETE_OUTPUT_DIRECTORY = True
'''

HUGO_SETTINGS = """baseURL = "/"
languageCode = "de"
title = "CuCon baseline"
theme = "minimal"
buildFuture = true
relativeURLs = true
"""
"""Hugo's settings: future dates built too, as Pelican does by default (the network dates a year ahead)."""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title></head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
<p>{{ .Summary }}</p>
{{ .Content }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}
</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1>
<ul>{{ range .Site.Sections }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }})</li>{{ end }}
</ul>{{ end }}
""",
}
"""The minimal Hugo theme: a base page, an article, a listing and the home page."""


def write_baselines(content: Path, pelican: Path, hugo: Path) -> int:
    """Write the network's items as plain Markdown for bare Pelican and for Hugo; the number of articles."""
    (pelican / "content").mkdir(parents=True)
    (pelican / "pelicanconf.py").write_text(PELICAN_BASELINE_SETTINGS, "utf-8")
    (hugo / "hugo.toml").parent.mkdir(parents=True)
    (hugo / "hugo.toml").write_text(HUGO_SETTINGS, "utf-8")
    for name, template in HUGO_LAYOUTS.items():
        path = hugo / "themes" / "minimal" / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template, "utf-8")
    articles = 0
    for item in plain_items(content):
        # Slugs are unique within a folder only: the folder's name keeps Pelican's flat URLs apart.
        header = (
            f"Title: {item.title}\nDate: {item.date}\nSlug: {item.section}-{item.slug}\n"
            f"Category: {item.section}\nSummary: {item.summary}\n\n"
        )
        (pelican / "content" / f"{item.section}-{item.slug}.md").write_text(header + item.body, "utf-8")
        front_matter = {"title": item.title, "date": item.date, "summary": item.summary}
        page = hugo / "content" / item.section / f"{item.slug}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(markdown_text(front_matter, item.body), "utf-8")
        articles += 1
    return articles


def _bare_pelican_command(folder: Path) -> list[str]:
    """The venv's Pelican on the baseline's content, settings and output folder."""
    settings = folder / "pelicanconf.py"
    return [
        sys.executable,
        "-m",
        "pelican",
        str(folder / "content"),
        "-s",
        str(settings),
        "-o",
        str(folder / "output"),
    ]


def hugo_executable() -> str | None:
    """The ``hugo`` on PATH, or None."""
    return shutil.which("hugo")


def hugo_version(executable: str) -> str:
    """Hugo's version number, e.g. ``0.111.3``, or what ``hugo version`` said."""
    said = subprocess.run([executable, "version"], capture_output=True, text=True, check=False).stdout
    found = re.search(r"v(\d+\.\d+\.\d+)", said)
    return found.group(1) if found else said.strip()


def _hugo_command(executable: str, folder: Path) -> list[str]:
    """Hugo's clean build of the baseline site into ``public/``, without minifying."""
    return [
        executable,
        "--quiet",
        "--source",
        str(folder),
        "--destination",
        str(folder / "public"),
        "--cacheDir",
        str(folder / "cache"),
    ]


# --- the report ---------------------------------------------------------------------------


def _ratio(numerator: float, denominator: float) -> float | None:
    """``numerator / denominator``, or None for a zero denominator."""
    return numerator / denominator if denominator else None


METRICS = {
    "wall time": lambda run: run.seconds,
    "CPU time": lambda run: run.cpu_seconds,
    "peak memory": lambda run: run.peak_mib,
}
"""What the comparison compares, taken from a ChildRun."""


def comparison_report(runs: dict[str, ChildRun]) -> list[str]:
    """Every build's wall time, CPU time and peak memory, and its ratio to each clean build (row / column)."""
    builds = [name for name in (*OUR_BUILDS, PELICAN, HUGO) if name in runs]
    references = [name for name in REFERENCES if name in runs]
    lines = [
        "builds compared (CPU: user + sys of the build and the workers it waited for; cores: CPU / wall):",
        f"  {'':<23}  {'wall s':>9}  {'CPU s':>9}  {'cores':>5}  {'peak MiB':>8}",
    ]
    for name in builds:
        run = runs[name]
        lines.append(
            f"  {name:<23}  {run.seconds:9.2f}  {run.cpu_seconds:9.2f}  "
            f"{_cell(_ratio(run.cpu_seconds, run.seconds), 5, 2)}  {run.peak_mib:8.0f}"
        )
    for metric, value in METRICS.items():
        lines += [
            "",
            f"  {metric + ' ratios (row / column)':<36}"
            + "".join(f"{REFERENCES[r]:>11}" for r in references),
        ]
        for name in builds:
            cells = (_ratio(value(runs[name]), value(runs[reference])) for reference in references)
            lines.append(
                f"  {name:<36}"
                + "".join(f"{_cell(c, 10, 2)}x" if c is not None else f"{'-':>11}" for c in cells)
            )
    return lines


def _against(name: str, runs: dict[str, ChildRun], reference: str, limit: float, missing: str) -> str:
    """A target line: a build's wall time as a multiple of a reference build's, with its verdict."""
    run = runs[name]
    label = REFERENCES[reference]
    if reference not in runs:
        return f"  {name:<23} {run.seconds:8.2f} s  (target <= {limit:g}x {label}'s clean build: skipped, {missing})"
    base = runs[reference].seconds
    ratio = run.seconds / base
    return (
        f"  {name:<23} {run.seconds:8.2f} s  = {ratio:.2f}x {label}'s clean build of {base:.2f} s "
        f"(target <= {limit:g}x: {_verdict(ratio <= limit)})"
    )


def targets_report(runs: dict[str, ChildRun], profiles: int, hugo_missing: str) -> list[str]:
    """The build targets of issue 9 with their verdicts; the memory target only at 10,000 profiles."""
    lines = [
        "build targets:",
        _against(ONE_PROFILE, runs, HUGO, INCREMENTAL_TARGET, hugo_missing),
        _against(NIGHTLY, runs, HUGO, INCREMENTAL_TARGET, hugo_missing),
        _against(WARM, runs, PELICAN, WARM_TARGET, "no bare Pelican"),
    ]
    heaviest = max(OUR_BUILDS, key=lambda name: runs[name].peak_mib)
    peak = runs[heaviest].peak_mib
    full = FULL_SIZE["profiles"]
    if profiles == full:
        lines.append(
            f"  {'peak memory':<23} {peak:8.0f} MiB of {heaviest}, at {full:,} profiles "
            f"(target <= {PEAK_TARGET_MIB} MiB: {_verdict(peak <= PEAK_TARGET_MIB)})"
        )
    else:
        lines.append(
            f"  {'peak memory':<23} {peak:8.0f} MiB of {heaviest}, at {profiles:,} profiles: no verdict, the target "
            f"(<= {PEAK_TARGET_MIB} MiB) is for {full:,} profiles; pro rata {PEAK_TARGET_MIB * profiles / full:,.0f} MiB "
            "here, though a build's fixed memory does not shrink with the network"
        )
    lines.append(
        f"  {'peak per 1,000 profiles':<23} {1000 * peak / profiles:8.1f} MiB (to compare runs: at 20,000 profiles "
        "the peak may be at most 2.1x the peak at 10,000)"
    )
    return lines


def verify_report(differences: dict[str, list[str]], files: dict[str, int]) -> list[str]:
    """The lines of the report about --verify: each rebuild identical to a clean build, or how it differs."""
    lines = [
        "verify: each rebuild against a clean build of the same content and settings in a separate folder, "
        f"byte for byte ({', '.join(VERIFY_IGNORE)} aside):"
    ]
    for name, found in differences.items():
        if not found:
            lines.append(f"  {name:<23} identical ({files[name]:,} files)")
            continue
        lines.append(f"  {name:<23} DIFFERS: {len(found):,} files (changed, missing or extra in the rebuild)")
        lines += [f"      {difference}" for difference in found[:FIRST_DIFFERENCES]]
        if len(found) > FIRST_DIFFERENCES:
            lines.append(f"      ... and {len(found) - FIRST_DIFFERENCES:,} more")
    return lines


# --- the run ------------------------------------------------------------------------------


def _prepare(site: Path) -> None:
    """Make ``site`` an empty site folder; replace only a network the benchmark made itself."""
    if site.exists() and any(site.iterdir()):
        if not (site / MARKER).is_file():
            raise FileExistsError(
                f"{site} is not empty and was not made by cucon bench; choose another --workdir"
            )
        for name in ("content", "output", "cache", "logs", "verify", "baselines"):
            shutil.rmtree(site / name, ignore_errors=True)
    site.mkdir(parents=True, exist_ok=True)
    (site / MARKER).write_text("made by cucon bench; a rerun replaces what it wrote here\n", "utf-8")
    (site / "logs").mkdir()


def _build_rows(name: str, run: ChildRun, items: int, pages: int, images: int) -> Iterator[Row]:
    """A build's row and the rows of the plugin stages it logged."""
    yield Row(name, run.seconds, run.peak_mib, items, cpu_seconds=run.cpu_seconds)
    stages = parse_stages(run.output)
    indexed = INDEX_LINE.findall(run.output)
    units = {
        "write-pages": (pages, "pages"),
        "copy-images": (images, "images"),
        "search-index": (int(indexed[-1]) if indexed else pages, "pages"),
    }
    for stage in PLUGIN_STAGES:
        seconds, peak = stages.get(stage, (None, None))
        count, unit = units.get(stage, (items, "items"))
        yield Row(stage, seconds, peak, count, unit, indent=True)


def run_benchmark(
    scale: float = 1.0, workdir: Path | None = None, keep: bool = False, verify: bool = False
) -> int:
    """Generate a network of ``scale`` x 10,000 profiles, check and build it every way; print the report."""
    if not scale > 0:
        logger.error("--size must be greater than 0, not %s", scale)
        return 2
    repo = find_repo()
    temporary = workdir is None
    site = Path(tempfile.mkdtemp(prefix="cucon-bench-")) if temporary else Path(workdir).resolve()
    try:
        _prepare(site)
    except FileExistsError as exc:
        logger.error("%s", exc)
        return 2
    try:
        return Bench(repo, site, _child_env(repo)).measure(scale, verify)
    except StageFailed as failed:
        return failed.code
    finally:
        if temporary and not keep:
            shutil.rmtree(site, ignore_errors=True)
        else:
            logger.info("the network and its builds are in %s", site)


def _search_stage(output: Path) -> SearchFigures | str | None:
    """Chromium's search figures on the clean build; why they are missing, or None if measuring failed."""
    logger.info("stage search in Chromium: a cold first query, then %d warm queries ...", QUERY_COUNT)
    try:
        figures = measure_search(output)
    except SearchSkipped as exc:
        logger.warning("stage search in Chromium skipped: %s", exc)
        return str(exc)
    except Exception:
        logger.exception("stage search in Chromium failed")
        return None
    logger.info(
        "stage search in Chromium: first query %.1f kB, median %.1f ms",
        figures.transfer / 1000,
        figures.median_ms,
    )
    return figures


class StageFailed(Exception):
    """A stage of the benchmark failed and was logged; ``code`` is the benchmark's exit code."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Bench:
    """One run: its repository, site folder and children's environment, and the children it measured."""

    repo: Path
    site: Path
    env: dict[str, str]
    runs: dict[str, ChildRun] = field(default_factory=dict)

    @property
    def content(self) -> Path:
        """The generated network."""
        return self.site / "content"

    @property
    def output(self) -> Path:
        """Where our builds write, one after the other."""
        return self.site / "output"

    @property
    def cache(self) -> Path:
        """Our builds' CACHE_PATH: the image cache and the incremental engine's state."""
        return self.site / "cache"

    def run(self, stage: str, command: list[str], logs_stages: bool = False) -> ChildRun:
        """Run and measure one stage's child process; StageFailed if it fails or logs no stage lines."""
        log_path = self.site / "logs" / f"{make_slug(stage)}.log"
        logger.info("stage %s ...", stage)
        run = run_child(command, cwd=self.site, env=self.env, log_path=log_path)
        if run.returncode != 0:
            raise StageFailed(_failed(stage, run, log_path))
        missing = set(PLUGIN_STAGES) - set(parse_stages(run.output)) if logs_stages else set()
        if missing:
            logger.error(
                "stage %s logged no 'cucon stage' lines for %s; see %s",
                stage,
                ", ".join(sorted(missing)),
                log_path,
            )
            raise StageFailed(1)
        logger.info(
            "stage %s: %.1f s, CPU %.1f s, peak %.0f MiB", stage, run.seconds, run.cpu_seconds, run.peak_mib
        )
        self.runs[stage] = run
        return run

    def build(self, stage: str, build_time: str, output: Path | None = None) -> ChildRun:
        """Our build of the network at ``build_time``, into output/ unless told otherwise."""
        command = _pelican_command(self.content, output or self.output, self.cache, build_time, self.repo)
        return self.run(stage, command, logs_stages=True)

    def verify(self, stage: str, build_time: str) -> list[str]:
        """Build the same content cleanly into verify/ (the state set aside); how the rebuild's output differs."""
        clean = self.site / "verify"
        shutil.rmtree(clean, ignore_errors=True)
        state = self.cache / STATE_FOLDER
        kept = self.cache / f"{STATE_FOLDER}.kept-by-bench"
        if state.exists():
            state.rename(kept)
        try:
            self.build(f"verify {stage}", build_time, output=clean)
        finally:
            shutil.rmtree(state, ignore_errors=True)
            if kept.exists():
                kept.rename(state)
        differences = compare_trees(self.output, clean, VERIFY_IGNORE)
        logger.info(
            "verify %s: %s", stage, f"{len(differences):,} files differ" if differences else "identical"
        )
        return differences

    def baselines(self) -> tuple[int, str]:
        """Build the network's items with bare Pelican and Hugo; the number of articles, and why Hugo is missing."""
        pelican, hugo = self.site / "baselines" / "pelican", self.site / "baselines" / "hugo"
        articles = write_baselines(self.content, pelican, hugo)
        self.run(PELICAN, _bare_pelican_command(pelican))
        executable = hugo_executable()
        if executable is None:
            missing = "no hugo on PATH (make bench-packages, or apt-get install hugo)"
            logger.warning("stage %s skipped: %s", HUGO, missing)
            return articles, missing
        logger.info("Hugo %s at %s", hugo_version(executable), executable)
        self.run(HUGO, _hugo_command(executable, hugo))
        return articles, ""

    def measure(self, scale: float, verify: bool) -> int:
        """Run every stage and print the report; the exit code (1 if --verify found a difference)."""
        sizes = counts(scale)
        logger.info(
            "generating %s cities, %s profiles, %s calls and %s news items in %s",
            *(f"{n:,}" for n in sizes.values()),
            self.site,
        )
        started, cpu_before = time.perf_counter(), _own_cpu_seconds()
        network = generate_network(self.content, scale, dt.date.today())
        generated = Row(
            "generate",
            time.perf_counter() - started,
            maxrss_mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
            network.files,
            "files",
            cpu_seconds=_own_cpu_seconds() - cpu_before,
        )
        logger.info(
            "generated %s files (%.0f MiB) in %.1f s",
            f"{network.files:,}",
            network.bytes_written / 2**20,
            generated.seconds,
        )
        items = sum(sizes.values())
        morning = build_moment(network.today)
        nightly = build_moment(network.today + dt.timedelta(days=1))

        self.run("check", [*_cucon_command(), "-q", "check", "--content", str(self.content)])
        articles, hugo_missing = self.baselines()
        self.build(COLD, morning)
        search = _search_stage(self.output)
        if search is None:
            return 1
        pages, files, size = output_stats(self.output)
        differences: dict[str, list[str]] = {}
        self.build(NO_CHANGE, morning)
        if verify:
            differences[NO_CHANGE] = self.verify(NO_CHANGE, morning)
        shutil.rmtree(self.output)
        shutil.rmtree(self.cache / STATE_FOLDER, ignore_errors=True)
        self.build(WARM, morning)
        edited = edit_one_profile(self.content)
        logger.info("edited the summary of %s", edited.relative_to(self.site))
        self.build(ONE_PROFILE, morning)
        if verify:
            differences[ONE_PROFILE] = self.verify(ONE_PROFILE, morning)
        self.build(NIGHTLY, nightly)
        if verify:
            differences[NIGHTLY] = self.verify(NIGHTLY, nightly)
        verified_files = {name: len(_files_below(self.output, VERIFY_IGNORE)) for name in differences}

        runs = self.runs
        rows = [
            generated,
            Row(
                "check",
                runs["check"].seconds,
                runs["check"].peak_mib,
                items,
                cpu_seconds=runs["check"].cpu_seconds,
            ),
        ]
        for name in OUR_BUILDS:
            rows += _build_rows(name, runs[name], items, pages, network.images)
        for name in (PELICAN, HUGO):
            if name in runs:
                rows.append(
                    Row(
                        name,
                        runs[name].seconds,
                        runs[name].peak_mib,
                        articles,
                        "articles",
                        cpu_seconds=runs[name].cpu_seconds,
                    )
                )
        logger.info("stage images per photo: cucon.images against bare Pillow, one core ...")
        per_photo = measure_per_photo(sample_photos(self.content, PHOTO_SAMPLE), self.site / "logs")
        logger.info("stage render: the bodies with the renderer before and after the change, one core ...")
        render_figures = measure_render(markdown_bodies(self.content))
        hugo_line = (
            f"Hugo: {hugo_version(hugo_executable())}, a minimal theme"
            if HUGO in runs
            else f"Hugo: skipped, {hugo_missing}"
        )
        report = [
            f"cucon bench --size {scale:g}: {sizes['cities']:,} cities, {sizes['profiles']:,} profiles, "
            f"{sizes['calls']:,} calls, {sizes['news']:,} news items ({items:,} items, "
            f"{network.images:,} images); build time {morning}, the nightly rebuild's {nightly}",
            "",
            format_table(rows),
            "",
            f"output: {pages:,} HTML pages, {files:,} files, {size / 2**20:,.1f} MiB",
            f"baselines: the {articles:,} profiles, calls and news items as plain Markdown articles (title, date, "
            f"summary, body); bare Pelican {_pelican_version()} with its default theme and no plugins; {hugo_line}",
            "",
            *comparison_report(runs),
            "",
            *targets_report(runs, sizes["profiles"], hugo_missing),
            "",
            *([*verify_report(differences, verified_files), ""] if verify else []),
            *image_report(runs[COLD].output, runs[NO_CHANGE].output, per_photo),
            "",
            *render_report(render_figures),
            "",
            *search_report(runs[COLD], search),
            "",
            f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; peak MiB is the peak resident memory "
            "of the process (generate: this one; the others: their own child and its workers, the largest)",
        ]
        sys.stdout.write("\n".join(report) + "\n")
        sys.stdout.flush()
        return 1 if any(differences.values()) else 0


def _own_cpu_seconds() -> float:
    """User + system time of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _pelican_version() -> str:
    """The version of the venv's Pelican."""
    from importlib.metadata import version

    return version("pelican")
