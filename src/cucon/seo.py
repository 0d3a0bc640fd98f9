"""What search engines and link previews read: schema.org data, sitemap.xml and robots.txt."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup


def structured_data(entry, page_url: str | None, image_url: str | None) -> dict | None:
    """schema.org data for a profile (Person or Organization) or an event, else None.

    Keys without a value (a local build has no absolute URLs) are left out.
    """
    data = _structured_data(entry, page_url, image_url)
    return {key: value for key, value in data.items() if value is not None} if data else None


def _structured_data(entry, page_url: str | None, image_url: str | None) -> dict | None:
    """schema.org data for a profile or an event, possibly with empty values."""
    facts = entry.facts
    if entry.type == "profile":
        kind = "Person" if facts.kind == "person" else "Organization"
        data = {
            "@context": "https://schema.org",
            "@type": kind,
            "name": entry.title,
            "description": entry.summary,
            "url": page_url,
            "inLanguage": entry.lang,
        }
        links = [url for key, url in facts.links.model_dump(exclude_none=True).items() if key != "other"]
        if links or facts.links.other:
            data["sameAs"] = links + list(facts.links.other)
        if image_url:
            data["image"] = image_url
        return data
    if entry.type == "news" and entry.event_start:
        event = facts.event
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": entry.title,
            "description": entry.summary,
            "url": page_url,
            "startDate": entry.event_start.isoformat(),
            "inLanguage": entry.lang,
            "eventAttendanceMode": "https://schema.org/"
            + (
                "OnlineEventAttendanceMode"
                if event.online and not event.venue
                else "OfflineEventAttendanceMode"
            ),
        }
        if entry.event_end:
            data["endDate"] = entry.event_end.isoformat()
        if event.venue or event.address:
            data["location"] = {
                "@type": "Place",
                "name": event.venue or event.address,
                "address": event.address or event.venue,
            }
        elif event.online:
            data["location"] = {"@type": "VirtualLocation", "url": event.online}
        return data
    return None


def json_script(data: dict) -> Markup:
    """A JSON-LD script element whose content can never close the element early.

    >>> str(json_script({"name": "</script><b>"}))
    '<script type="application/ld+json">{"name": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}</script>'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')


def sitemap_xml(pages: list[tuple[str, list[tuple[str, str]]]]) -> str:
    """A sitemap: each page's absolute URL with its language alternates (hreflang)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for url, alternates in pages:
        lines.append(f"  <url><loc>{escape(url)}</loc>")
        for lang, href in alternates:
            lines.append(
                f'    <xhtml:link rel="alternate" hreflang={quoteattr(lang)} href={quoteattr(href)}/>'
            )
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(sitemap_url: str | None) -> str:
    """robots.txt: everything may be read; where the sitemap is, if there is one.

    >>> robots_txt("https://cucon.example/sitemap.xml").splitlines()[-1]
    'Sitemap: https://cucon.example/sitemap.xml'
    """
    text = "User-agent: *\nAllow: /\n"
    return f"{text}\nSitemap: {sitemap_url}\n" if sitemap_url else text
