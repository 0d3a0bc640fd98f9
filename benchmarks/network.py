"""The synthetic network: a valid, seeded network of cities, profiles, calls and news with photos."""

from __future__ import annotations

import datetime as dt
import io
import logging
import random
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from PIL import Image, ImageDraw

from benchmarks import REPO
from cucon.frontmatter import FRONT_MATTER, StrictSafeLoader
from cucon.schema import OFFERS
from cucon.text import make_slug

logger = logging.getLogger(__name__)

SEED = 20261127
"""Seed of every random choice: the same size gives the same network."""

FULL_SIZE = {"profiles": 10_000, "calls": 2_000, "news": 2_000}
"""Items of each type at scale 1."""

CITY_COUNT = 70
PHOTO_SIZE = (320, 320)
NEWS_IMAGE_SIZE = (480, 320)


BUILD_TIMEZONE = "Europe/Berlin"
"""The time zone of the run's builds and of the generated dates."""

PASSING_DEADLINE_HOUR = 12
"""The first call's deadline: noon (Berlin) on the network's day, so it passes between the run's
build time and the nightly rebuild's."""


def counts(scale: float) -> dict[str, int]:
    """How many items of each type a scale gives; at least one of each.

    >>> counts(1)
    {'cities': 70, 'profiles': 10000, 'calls': 2000, 'news': 2000}
    >>> counts(0.0001)
    {'cities': 70, 'profiles': 1, 'calls': 1, 'news': 1}
    """
    return {"cities": CITY_COUNT} | {kind: max(1, round(n * scale)) for kind, n in FULL_SIZE.items()}


# fmt: off
REAL_CITIES = [
    # slug, de, en, local, local_latin, country, timezone, languages, lat, lon, partner city since
    ("hannover", "Hannover", "Hanover", "Hannover", None, "DE", "Europe/Berlin", ["de"], 52.3744, 9.7386, None),
    ("leipzig", "Leipzig", "Leipzig", "Leipzig", None, "DE", "Europe/Berlin", ["de"], 51.3397, 12.3731, 1987),
    ("bristol", "Bristol", "Bristol", "Bristol", None, "GB", "Europe/London", ["en"], 51.4545, -2.5879, 1947),
    ("rouen", "Rouen", "Rouen", "Rouen", None, "FR", "Europe/Paris", ["fr"], 49.4431, 1.0993, 1966),
    ("perpignan", "Perpignan", "Perpignan", "Perpignan", None, "FR", "Europe/Paris", ["fr", "ca"], 42.6887, 2.8948, 1960),
    ("poznan", "Poznań", "Poznań", "Poznań", None, "PL", "Europe/Warsaw", ["pl"], 52.4064, 16.9252, 1979),
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
class SyntheticCity:
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
    cities: list[SyntheticCity] = field(default_factory=list)
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
        for folder in ("cities", "profiles", "calls", "news"):
            (self.content / folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / "content" / "disciplines.yaml", self.content / "disciplines.yaml")
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
        self.cities.append(SyntheticCity(slug, en, country, timezone, languages))

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

    def _pick_cities(self, most: int) -> list[SyntheticCity]:
        """Distinct random cities, the real ones more often."""
        rng = self.rng
        chosen: list[SyntheticCity] = []
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
        if rng.random() < 0.6:  # what the profile offers and seeks (the controlled list)
            meta["offers"] = self._terms(0, 2)
            meta["seeks"] = self._terms(1, 3)
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

    def _terms(self, fewest: int, most: int) -> list[str]:
        """Between ``fewest`` and ``most`` terms of the controlled list of what people offer and seek, in its order."""
        return sorted(self.rng.sample(OFFERS, self.rng.randint(fewest, most)), key=OFFERS.index)

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
        meta["offers"] = self._terms(1, 3)
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


def edit_one_profile(content: Path) -> Path:
    """Change the summary of the first profile on disk, keeping it valid, as an editor's small fix does."""
    path = min((content / "profiles").glob("*.md"))
    meta, body = read_markdown(path)
    meta["summary"] = _fit(f"{meta['summary']} Updated for the benchmark.", 280)
    path.write_text(markdown_text(meta, body), "utf-8")
    return path
