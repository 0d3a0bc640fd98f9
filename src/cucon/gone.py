"""The rules that let a host answer 410 Gone at the addresses of removed items (content/removed.yaml).

Each removed item keeps a short "removed" page at its old address in every UI language; these
files list those addresses for hosts that read them (Netlify's ``_redirects``, an nginx ``map``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from cucon import schema, urls


def gone_paths(
    tombstones: Iterable[schema.Tombstone], languages: list[str], default: str, siteurl: str
) -> list[str]:
    """The paths from the host's root of every tombstone's page in every UI language.

    >>> t = schema.Tombstone(slug="anna", type="profile", removed="2026-01-02", id="3f2b8c1e-5d4a-4e7b-9c0d-1a2b3c4d5e6f")
    >>> gone_paths([t], ["de", "en"], "de", "https://example.org/cucon/")
    ['/cucon/profiles/anna/', '/cucon/en/profiles/anna/']
    """
    return [
        urls.from_host_root(siteurl, urls.entry(t.type, t.slug, urls.lang_prefix(ui, default)))
        for t in tombstones
        for ui in languages
    ]


def redirects_file(paths: list[str]) -> str:
    """A ``_redirects`` file (Netlify) that answers 410 Gone at each path, with the removed page.

    The status is forced (``410!``): without the ``!`` Netlify serves a file that exists at the
    path, and the removed page does. Cloudflare Pages reads the same file name but allows only
    redirects (3xx) and rewrites (200), so it ignores these lines and serves the page with 200.

    >>> redirects_file(["/profiles/anna/"]).splitlines()[-1]
    '/profiles/anna/ /profiles/anna/ 410!'
    """
    head = (
        "# Addresses of profiles removed at the person's request: 410 Gone, with the short page that\n"
        "# says so. Written by the CuCon build from content/removed.yaml; do not edit.\n"
    )
    return head + "".join(f"{path} {path} 410!\n" for path in paths)


def nginx_map(paths: list[str]) -> str:
    """An nginx ``map`` that sets ``$gone`` for each path, with how to use it.

    >>> nginx_map(["/profiles/anna/"]).splitlines()[-2]
    '    /profiles/anna/ 1;'
    """
    head = (
        "# Addresses of profiles removed at the person's request, written by the CuCon build from\n"
        "# content/removed.yaml; do not edit. Include this file in the http {} block, then in the\n"
        "# site's server {} block answer 410 Gone, showing the short page that says why:\n"
        "#\n"
        "#     if ($gone) { return 410; }\n"
        "#     error_page 410 ${uri}index.html;\n"
        "#\n"
    )
    body = "".join(f"    {path} 1;\n" for path in paths)
    return f"{head}map $uri $gone {{\n    default 0;\n{body}}}\n"


def write_gone_rules(output: Path, paths: list[str]) -> None:
    """Write ``_redirects`` and ``gone.nginx.map`` into the output folder (empty lists included)."""
    (output / urls.GONE_RULES[0]).write_text(redirects_file(paths), "utf-8")
    (output / urls.GONE_RULES[1]).write_text(nginx_map(paths), "utf-8")
