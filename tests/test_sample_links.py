"""The sample content links only to reserved example names, and to the real institutions it is about."""

import re

import pytest
import yaml
from pydantic import ValidationError
from support import REPO

from cucon.schema import Links

CONTENT = REPO / "content"

REAL_HOSTS = {
    "hannover.de",  # the Kulturbüro's city, which runs CuCon
    "hannover-stadt.de",  # the city's mail domain: contact, privacy and accessibility addresses
    "lfd.niedersachsen.de",  # the data protection authority named in the privacy pages
    "unesco.org",  # the UNESCO Creative Cities Network
    "en.wikipedia.org",  # the source of the network's member list
    "bccmw.com",  # Blantyre City Council
    "bristol.gov.uk",
    "city.hiroshima.lg.jp",
    "leipzig.de",
    "mairie-perpignan.fr",
    "poznan.pl",
    "rouen.fr",
}
"""Real sites the sample needs: the partner cities' and institutions' own sites (docs/content-model.md)."""

URL_HOST = re.compile(r"\b(?:https?://|[\w.%+-]+@)([\w.-]+\.\w+)", re.ASCII)


def hosts_in(text: str) -> set[str]:
    """The host names of the web links and mail addresses in a text.

    >>> sorted(hosts_in("see https://www.instagram.com/x/ or write to a@b.example."))
    ['b.example', 'www.instagram.com']
    """
    return {host.lower().rstrip(".") for host in URL_HOST.findall(text)}


RESERVED_EXAMPLE_DOMAINS = ("example", "example.com", "example.net", "example.org")
"""Names reserved for examples (RFC 2606): sample content links there instead of inventing accounts on real hosts."""


def is_example_host(host: str) -> bool:
    """Whether a host name is reserved for examples, so it belongs to no real stranger.

    >>> [is_example_host(h) for h in ("instagram.example", "example.org", "www.example.com", "instagram.com")]
    [True, True, True, False]
    """
    return any(host == d or host.endswith("." + d) for d in RESERVED_EXAMPLE_DOMAINS)


def is_allowed(host: str) -> bool:
    """Whether the sample may link to a host: a reserved example name or one of the real institutions."""
    host = host.removeprefix("www.")
    return is_example_host(host) or host in REAL_HOSTS


def test_sample_content_links_no_invented_real_host():
    """Every link in content/ points at a reserved example name or a listed real institution."""
    files = [path for path in CONTENT.rglob("*") if path.suffix in {".md", ".yaml", ".yml"}]
    found = {
        (path.relative_to(REPO).as_posix(), host)
        for path in files
        for host in hosts_in(path.read_text("utf-8"))
    }
    assert len(found) > 50, "the sample's links were not found: the pattern is broken"
    assert sorted((path, host) for path, host in found if not is_allowed(host)) == []


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("instagram.example", True),
        ("example.org", True),
        ("www.hannover.de", True),
        ("www.instagram.com", False),
        ("example.org.evil.com", False),
        ("hannover.de.evil.com", False),
        ("notexample.com", False),
    ],
)
def test_allowed_hosts(host, allowed):
    assert is_allowed(host) is allowed


def test_platform_links_accept_example_names_only_besides_their_platform():
    """A platform link may be a reserved example (for samples), never another real host."""
    assert Links(instagram="https://instagram.example/a.b/").instagram == "https://instagram.example/a.b/"
    with pytest.raises(ValidationError, match="instagram"):
        Links(instagram="https://instagram.evil.com/a.b/")
    with pytest.raises(ValidationError, match="instagram"):
        Links(instagram="https://mira.example/")  # an example name, but not the platform's stand-in


def test_partner_city_named_as_its_own_partners_name_it():
    """The German UI says "Poznań", as Hannover's own site does, and no sample text says "Posen"."""
    poznan = yaml.safe_load((CONTENT / "cities" / "poznan.yaml").read_text("utf-8"))
    assert poznan["names"]["de"] == poznan["names"]["local"] == "Poznań"
    texts = [path for path in CONTENT.rglob("*") if path.suffix in {".md", ".yaml"}]
    assert [path.name for path in texts if "Posen" in path.read_text("utf-8")] == []
