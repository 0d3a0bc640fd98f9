"""Review help for staff: `cucon summary` on real git history, duplicate hints, `cucon links`, `cucon report`."""

from __future__ import annotations

import socket
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image
from support import commit_all, output_of, run_cucon

from cucon.review.links import USER_AGENT, check_url
from cucon.review.pr_summary import ProfileFacts, duplicate_hints

NEW_PROFILE = """\
---
id: 0b7c4f0e-8a53-4d8e-9a51-3c2f3f2d7a10
name: Anna Nowak
kind: person
cities: [leipzig]
disciplines: [music, dance]
summary: Sängerin und Tänzerin aus Leipzig.
photo:
  file: anna-nowak.jpg
  alt: Ein grünes Quadrat
consent:
  date: 2026-11-20
  version: "1"
lang: de
---

Anna Nowak singt und tanzt.
"""

EXPECTED_SUMMARY = """\
## Was dieser Pull Request ändert / What this pull request changes

- Neues Profil: `Anna Nowak` (`Leipzig`; `Musik`, `Tanz`) — Foto 640×640, Einwilligung v1 / New profile: `Anna Nowak` (`Leipzig`; `music`, `dance`) — photo 640×640, consent v1
- Geänderte Ausschreibung: `Residenz in Leipzig` — geändert: `deadline` (`2027-01-31 23:59` → `2027-02-28 23:59`), `summary` (`Vier Wochen Residenz für Tanz in Leipzig.` → `Sechs Wochen Residenz für Tanz in Leipzig.`) / Changed call: `Residenz in Leipzig` — changed: `deadline` (`2027-01-31 23:59` → `2027-02-28 23:59`), `summary` (`Vier Wochen Residenz für Tanz in Leipzig.` → `Sechs Wochen Residenz für Tanz in Leipzig.`)
  - Veranstalter: Profil `tanz-kollektiv` (`Tanz-Kollektiv`) / Organiser: profile `tanz-kollektiv` (`Tanz-Kollektiv`)

### Mögliche Dubletten / Possible duplicates

Keine Hinweise. / No hints.

Ob alle Inhalte gültig sind, zeigt der Schritt „cucon check“. / Whether all content is valid is shown by the check step (cucon check).
"""


def write_photo(path: Path, size: int, colour: str = "green") -> None:
    """A JPEG square of the given size."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (size, size), colour).save(path, "JPEG")


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace one text in a file, which must be there."""
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def summary_of(repo: Path) -> subprocess.CompletedProcess:
    """`cucon summary` of the last commit of a repository."""
    return run_cucon("summary", "--base", "HEAD~1", "--head", "HEAD", "--repo", str(repo), cwd=repo)


def test_summary_of_a_new_profile_and_a_changed_call(content_repo):
    """A pull request that adds a profile with its photo and edits a call reads in plain German and English."""
    (content_repo / "content/profiles/anna-nowak.md").write_text(NEW_PROFILE, "utf-8")
    write_photo(content_repo / "content/profiles/anna-nowak.jpg", 640)
    call = content_repo / "content/calls/residency-leipzig.md"
    replace_in(call, "deadline: 2027-01-31 23:59", "deadline: 2027-02-28 23:59")
    replace_in(call, "summary: Vier Wochen", "summary: Sechs Wochen")
    commit_all(content_repo, "New profile, longer residency")
    result = summary_of(content_repo)
    assert result.returncode == 0, output_of(result)
    assert result.stdout == EXPECTED_SUMMARY


def test_summary_of_translations_deletions_images_and_other_files(content_repo):
    """Translations, deletions, renames, images, a broken file and non-content files each get their line."""
    content = content_repo / "content"
    duplicate = NEW_PROFILE.replace("Anna Nowak", "Anna Kowalská").replace(
        "anna-nowak.jpg", "anna-kowalska.jpg"
    )
    duplicate = duplicate.replace(
        "lang: de\n", "links:\n  website: https://www.anna-kowalska.example\nlang: de\n"
    )
    (content / "profiles/anna-kowalska-leipzig.md").write_text(duplicate, "utf-8")
    (content / "profiles/tanz-kollektiv-en.md").write_text(
        "---\nid: 9d2f3c1a-6b4e-4f7a-8c2d-1e0f9a8b7c6d\ntranslation_of: tanz-kollektiv\nlang: en\n"
        "summary: A dance ensemble from Hannover.\n---\n\nThe Tanz-Kollektiv dances.\n",
        "utf-8",
    )
    (content / "news/concert.md").unlink()
    (content / "calls/broken.md").write_text("---\ntitle: [unclosed\n---\n", "utf-8")
    (content / "pages/about-en.md").rename(content / "pages/about-english.md")
    write_photo(content / "profiles/tanz-kollektiv.jpg", 128, "red")
    replace_in(content / "profiles/anna-kowalska.md", "spielt Geige.", "spielt Geige und Bratsche.")
    (content_repo / "README.md").write_text("# Fixture, changed\n", "utf-8")
    (content / "notes.txt").write_text("A note.\n", "utf-8")
    with (content / "disciplines.yaml").open("a", encoding="utf-8") as disciplines:
        disciplines.write("  - slug: circus\n    names: {de: Zirkus, en: Circus}\n")
    commit_all(content_repo, "A bit of everything")
    result = summary_of(content_repo)
    assert result.returncode == 0, output_of(result)
    lines = result.stdout.splitlines()
    expected = [
        "- ⚠️ Nicht lesbar / Cannot be read: `content/calls/broken.md` — `Zeile / line 2: a list opened with "
        "'[' is not closed with ']', or its entries are not separated by commas (column 8 of the line: "
        "title: [unclosed)`",
        "- Neue Datei: `content/notes.txt` / New file: `content/notes.txt`",
        "- Neues Profil: `Anna Kowalská` (`Leipzig`; `Musik`, `Tanz`) — Foto 64×64, Einwilligung v1 / "
        "New profile: `Anna Kowalská` (`Leipzig`; `music`, `dance`) — photo 64×64, consent v1",
        "- Neue Übersetzung (en) von `Tanz-Kollektiv` / New translation (en) of `Tanz-Kollektiv`",
        "- Geänderte Liste der Sparten — neu: `circus` / Changed list of disciplines — new: `circus`",
        "- Geändertes Profil: `Anna Kowalska` — geändert: text / Changed profile: `Anna Kowalska` — changed: text",
        "- Geändertes Bild: `content/profiles/tanz-kollektiv.jpg` (64×64 → 128×128) / "
        "Changed image: `content/profiles/tanz-kollektiv.jpg` (64×64 → 128×128)",
        "- Umbenannte Übersetzung (en) von `Über CuCon` (`content/pages/about-en.md` → "
        "`content/pages/about-english.md`, neue Adresse) / Renamed translation (en) of `Über CuCon` "
        "(`content/pages/about-en.md` → `content/pages/about-english.md`, new address)",
        "- Gelöschte Meldung: `Konzert in Hannover` / Deleted news item: `Konzert in Hannover`",
        "- `Anna Kowalská`: ähnlicher Name in `Leipzig` wie `Anna Kowalska` "
        "(`content/profiles/anna-kowalska.md`) / similar name in `Leipzig` to `Anna Kowalska` "
        "(`content/profiles/anna-kowalska.md`)",
        "- `Anna Kowalská`: gleiche Website wie `Anna Kowalska` (`content/profiles/anna-kowalska.md`): "
        "`https://www.anna-kowalska.example` / same website as `Anna Kowalska` "
        "(`content/profiles/anna-kowalska.md`): `https://www.anna-kowalska.example`",
        "### Technische Änderungen / Technical changes",
        "- `README.md` (geändert / changed)",
    ]
    assert [line for line in lines if line in expected] == expected, result.stdout


def test_summary_names_a_revision_git_does_not_know(content_repo):
    """A wrong revision is an error in words, not a traceback."""
    result = run_cucon(
        "summary", "--base", "nope", "--head", "HEAD", "--repo", str(content_repo), cwd=content_repo
    )
    assert result.returncode == 2
    assert "git rev-parse failed" in result.stderr
    assert "Traceback" not in result.stderr


CALL = "content/calls/residency-leipzig.md"
NEWS = "content/news/concert.md"
ORGANISER = "Veranstalter: Profil `tanz-kollektiv` (`Tanz-Kollektiv`) / Organiser: profile `tanz-kollektiv` (`Tanz-Kollektiv`)"


def link_line(url: str) -> str:
    return f"Neuer Link: {url} / New link: {url}"


SUMMARY_LINKS = [
    # what the change does (path, text replaced, replacement), the lines under the item's line
    ("a changed call names its organiser; no link is new", (CALL, "Vier Wochen", "Sechs Wochen"), [ORGANISER]),
    ("a new link in the body, the old apply link not listed",
     (CALL, "Bewerbungen bitte online.", "Siehe [hier](https://evil.example/login) und www.b.example."),
     [ORGANISER, link_line("`https://evil.example/login`"), link_line("`www.b.example`")]),
    ("a changed apply link", (CALL, "apply: https://www.leipzig.de/", "apply: mailto:x@evil.example"),
     [ORGANISER, link_line("`mailto:x@evil.example`")]),
    ("javascript: in a link, an autolink and a reference",
     (CALL, "Bewerbungen bitte online.", "[x](javascript:alert(1))\n\n<data:text/html,hi>\n\n[r]: ftp://r.example/"),
     [ORGANISER, link_line("`javascript:alert(1)`"), link_line("`data:text/html,hi`"), link_line("`ftp://r.example/`")]),
    ("a link with backticks and a mention",
     (CALL, "apply: https://www.leipzig.de/", "apply: 'https://x.example/`a`@org/staff#1'"),
     [ORGANISER, link_line("``https://x.example/`a`@org/staff#1``")]),
    ("a free name that is hostile",
     (CALL, "  profile: tanz-kollektiv", '  name: "Erika @org/staff <img src=x> closes #2"'),
     ["Veranstalter: `Erika @org/staff <img src=x> closes #2` (kein Profil) / "
      "Organiser: `Erika @org/staff <img src=x> closes #2` (no profile)"]),
    ("a slug that looks like a path", (CALL, "profile: tanz-kollektiv", 'profile: "../../etc/passwd"'),
     ["Veranstalter: Profil `../../etc/passwd` (kein solches Profil) / "
      "Organiser: profile `../../etc/passwd` (no such profile)"]),
    ("news names profiles and an online event",
     (NEWS, "lang: de", "event:\n  start: 2027-01-01 19:00\n  online: https://stream.example/x\nlang: de"),
     ["Genannte Profile: `anna-kowalska` (`Anna Kowalska`) / Profiles named: `anna-kowalska` (`Anna Kowalska`)",
      link_line("`https://stream.example/x`")]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "expected"), [row[1:] for row in SUMMARY_LINKS], ids=[r[0] for r in SUMMARY_LINKS]
)
def test_summary_names_the_organiser_and_every_new_link(content_repo, change, expected):
    """Under a call's or news item's line: its organiser (or the profiles it names) and each link the
    change adds, inert; links the base already had are not listed again."""
    path, old, new = change
    replace_in(content_repo / path, old, new)
    commit_all(content_repo, "Change")
    result = summary_of(content_repo)
    assert result.returncode == 0, output_of(result)
    assert [
        line.removeprefix("  - ") for line in result.stdout.splitlines() if line.startswith("  - ")
    ] == expected


KOWALSKA = ProfileFacts(
    "content/profiles/anna-kowalska.md",
    "Anna Kowalska",
    ("hannover", "leipzig"),
    "https://anna-kowalska.example/",
)

DUPLICATES = [
    # name, cities, website, expected reasons
    ("Anna Kowalská", ("leipzig",), None, ["name"]),
    ("Anna  Kowalska", ("hannover",), None, ["name"]),
    ("anna kowalska", ("poznan", "leipzig"), None, ["name"]),
    ("Anna Kowalska Quartett", ("leipzig",), None, ["name"]),
    ("Anna Kowalska", ("poznan",), None, []),  # the same name in another city: another person
    ("Quartett Nord", ("poznan",), "https://www.anna-kowalska.example", ["website"]),
    ("Quartett Nord", ("poznan",), "http://Anna-Kowalska.example", ["website"]),
    ("Anna Kowalska", ("leipzig",), "https://anna-kowalska.example", ["name", "website"]),
    ("Anna Nowak", ("leipzig",), "https://anna-nowak.example/", []),
    ("Quartett Nord", ("leipzig",), "https://anna-kowalska.example/quartett", []),
]


@pytest.mark.parametrize(("name", "cities", "website", "reasons"), DUPLICATES)
def test_duplicate_hints(name, cities, website, reasons):
    """Hints fire on a near-equal name in a shared city and on the same website, never on its own."""
    new = ProfileFacts("content/profiles/new.md", name, cities, website)
    hints = duplicate_hints(new, [KOWALSKA, new])
    assert [h.reason for h in hints] == reasons
    assert all(h.other is KOWALSKA for h in hints)


class Handler(BaseHTTPRequestHandler):
    """/ok answers 200, /missing 404, /moved redirects to /ok, /no-head refuses HEAD but answers GET."""

    def do_HEAD(self):
        """Answer without a body."""
        self.answer()

    def do_GET(self):
        """Answer like HEAD; the checker never reads a body."""
        self.answer()

    def answer(self):
        """Send the status of the path, and note the request."""
        self.server.requests.append((self.command, self.path, self.headers.get("User-Agent")))
        code = {"/ok": 200, "/moved": 301, "/no-head": 405 if self.command == "HEAD" else 200}.get(
            self.path, 404
        )
        self.send_response(code)
        if code == 301:
            self.send_header("Location", "/ok")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        """Keep the test output quiet."""


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    """A real HTTP server on 127.0.0.1, in a thread, that notes every request."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_url(server: ThreadingHTTPServer) -> str:
    """The address of the test server."""
    return f"http://127.0.0.1:{server.server_address[1]}"


CHECKS = [
    ("/ok", True, 200, [("HEAD", "/ok")]),
    ("/missing", False, 404, [("HEAD", "/missing"), ("GET", "/missing")]),
    ("/moved", True, 200, [("HEAD", "/moved"), ("HEAD", "/ok")]),
    ("/no-head", True, 200, [("HEAD", "/no-head"), ("GET", "/no-head")]),
]


@pytest.mark.parametrize(("path", "ok", "status", "requests"), CHECKS)
def test_check_url(server, path, ok, status, requests):
    """HEAD first, GET once when HEAD gets an error status, redirects followed, CuCon named as the agent."""
    result = check_url(base_url(server) + path, timeout=5)
    assert (result.ok, result.status) == (ok, status)
    assert [(method, where) for method, where, _ in server.requests] == requests
    assert {agent for _, _, agent in server.requests} == {USER_AGENT}
    assert "CuCon" in USER_AGENT


def test_check_url_unreachable(closed_port):
    """A port nothing listens on is unreachable, with the reason."""
    result = check_url(f"http://127.0.0.1:{closed_port}/", timeout=5)
    assert not result.ok
    assert result.describe() == "nicht erreichbar / unreachable: Connection refused"


def test_links_command_lists_exactly_the_broken_links(server, closed_port, tmp_path):
    """`cucon links FILE` tables the 404 and the closed port only; exit 0, or 1 with --strict."""
    url = base_url(server)
    unreachable = f"http://127.0.0.1:{closed_port}/"
    page = tmp_path / "links.md"
    page.write_text(
        f"---\nlinks:\n  website: {url}/ok\n  other: [{url}/moved, {url}/no-head, {unreachable}]\n"
        f"apply: {url}/missing\n---\n\nSee {url}/ok and https://anna.example/.\n",
        "utf-8",
    )
    result = run_cucon("links", str(page), "--timeout", "5", cwd=tmp_path)
    assert result.returncode == 0, output_of(result)
    table = [line for line in result.stdout.splitlines() if line.startswith("| `http")]
    assert table == [
        f"| `{unreachable}` | `{page}` | `links.other` | `nicht erreichbar / unreachable: Connection refused` |",
        f"| `{url}/missing` | `{page}` | `apply` | `HTTP 404 Not Found` |",
    ]
    assert "2 von 6 Links sind kaputt" in result.stdout
    assert "1 Beispiel-Adresse(n) nicht geprüft" in result.stdout
    strict = run_cucon("links", str(page), "--timeout", "5", "--strict", cwd=tmp_path)
    assert strict.returncode == 1, output_of(strict)


def test_links_of_a_pull_request_checks_only_new_links(content_repo, server):
    """With --base and --head only links the commits add are checked: here one new 404."""
    replace_in(
        content_repo / "content/calls/residency-leipzig.md",
        "https://www.leipzig.de/",
        f"{base_url(server)}/gone",
    )
    commit_all(content_repo, "New application link")
    result = run_cucon(
        "links", "--base", "HEAD~1", "--head", "HEAD", "--repo", str(content_repo), cwd=content_repo
    )
    assert result.returncode == 0, output_of(result)
    assert "| `content/calls/residency-leipzig.md` | `apply` | `HTTP 404 Not Found` |" in result.stdout
    assert [where for _, where, _ in server.requests] == ["/gone", "/gone"]


ANNA = "  content/profiles/anna-kowalska.md: Anna Kowalska — 2026-04-02 (Einwilligung / consent)"
TANZ = "  content/profiles/tanz-kollektiv.md: Tanz-Kollektiv — 2026-05-10 (Einwilligung / consent)"
RESIDENCY = "  content/calls/residency-leipzig.md: Residenz in Leipzig — 2027-01-31"
CONCERT = "  content/news/concert.md: Konzert in Hannover — 2026-11-01"

REPORTS = [
    # today, a change to the fixture, every line listed (profiles, then calls, then news)
    ("2027-01-01", None, []),
    ("2028-05-01", None, [ANNA, RESIDENCY]),
    (
        "2028-05-01",
        ("profiles/anna-kowalska.md", "lang: de\n", "updated: 2026-09-01\nlang: de\n"),
        [RESIDENCY],
    ),
    ("2029-01-02", None, [ANNA, TANZ, RESIDENCY, CONCERT]),
]


@pytest.mark.parametrize(("today", "change", "listed"), REPORTS)
def test_report(fixture_site, today, change, listed):
    """Profiles untouched for two years, calls a year past their deadline and old news are listed; fresh ones not."""
    if change:
        replace_in(fixture_site / "content" / change[0], *change[1:])
    result = run_cucon("report", "--today", today, cwd=fixture_site)
    assert result.returncode == 0, output_of(result)
    assert [line for line in result.stdout.splitlines() if line.startswith("  ")] == listed
    assert "Every call has a deadline" in result.stdout


def test_summary_flags_a_profile_deleted_with_git_rm_and_an_untouched_placeholder(content_repo):
    """A profile deleted without `cucon remove` and a summary `cucon new` wrote are flagged for staff."""
    (content_repo / "content/profiles/anna-kowalska.md").unlink()
    replace_in(
        content_repo / "content/profiles/tanz-kollektiv.md",
        "summary: Ein Tanzensemble aus Hannover.",
        "summary: 'Tanz-Kollektiv: one or two sentences for listings.'",
    )
    commit_all(content_repo, "Git rm and a placeholder")
    result = summary_of(content_repo)
    assert result.returncode == 0, output_of(result)
    lines = result.stdout.splitlines()
    [deleted] = [line for line in lines if "Gelöschtes Profil" in line]
    assert "⚠️ deleted with git rm, not `cucon remove`" in deleted
    [changed] = [line for line in lines if "Tanz-Kollektiv" in line and "Geändertes Profil" in line]
    assert "⚠️ still has a placeholder of `cucon new`" in changed
