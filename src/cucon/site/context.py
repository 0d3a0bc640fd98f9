"""The template context of one UI language, from typed inputs: no Pelican object, no module globals."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from cucon import urls
from cucon.i18n import load_catalog, localised, template_helpers
from cucon.site.settings import SiteSettings
from cucon.subscriptions import (
    FEED_FORMATS,
    Catalog,
    calendar_title,
    channel_description,
    channel_title,
)
from cucon.views import Listings, ShownItem


class Subscriptions:
    """The texts and addresses of every feed and calendar in one UI language, for pages and files."""

    def __init__(
        self, found: Catalog, listings: Listings, settings: SiteSettings, ui: str, translations: Path
    ):
        self.catalog = found
        self.ui = ui
        self.siteurl = settings.siteurl
        self.sitename = settings.sitename
        self.prefix = urls.lang_prefix(ui, settings.default_lang)
        self._ = load_catalog(translations, ui).gettext
        cities = {city.slug: city for city in listings.of("city")}
        disciplines = {discipline.slug: discipline for discipline in listings.disciplines}
        self.names = {
            "city": lambda slug: localised(cities[slug].meta.names, ui),
            "discipline": lambda slug: localised(disciplines[slug].names, ui),
            "profile": lambda slug: listings.entries[("profile", slug)].title,
        }

    def name(self, group: str, key: str) -> str:
        """The name of a city, discipline or profile in this UI language."""
        return self.names[group](key)

    def href(self, path: str) -> str:
        """A site path as pages link to it (absolute under an absolute SITEURL)."""
        return urls.href(self.siteurl, path)

    def webcal(self, calendar) -> str | None:
        """The ``webcal://`` address of a calendar; None without an absolute SITEURL."""
        url = urls.absolute(self.siteurl, calendar.url(self.prefix))
        return urls.webcal(url) if url else None

    def helpers(self) -> dict:
        """What templates get: the catalog and functions that name and address its parts."""
        return {
            "subscriptions": self.catalog,
            "channel_title": lambda c: channel_title(c, self.sitename, self.name, self._),
            "channel_description": lambda c: channel_description(c, self.name, self._),
            "calendar_title": lambda c: calendar_title(c, self.sitename, self.name, self._),
            "feed_href": lambda c, fmt="atom": self.href(c.url(self.prefix, fmt)),
            "calendar_href": lambda c: self.href(c.url(self.prefix)),
            "alert_feed_href": lambda slug, fmt="atom": self.href(
                urls.feed("profile", slug, fmt, self.prefix)
            ),
            "alert_calendar_href": lambda slug: self.href(urls.profile_calendar(slug, self.prefix)),
            "webcal_href": self.webcal,
            "opml_href": self.href(urls.opml(self.prefix)),
            "digest_href": lambda city, fmt="html": self.href(urls.digest(city, fmt, self.prefix)),
            "page_feeds": self.catalog.for_page,
            "feed_formats": FEED_FORMATS,
        }


@dataclass(frozen=True)
class SiteContext:
    """What templates get in each UI language, made from the site's settings, listings, feeds and search data."""

    settings: SiteSettings
    listings: Listings
    feeds: Catalog
    """Every feed and calendar of the site (:func:`cucon.subscriptions.catalog`)."""
    translations: Path
    """The theme's gettext catalogs (``theme/translations``)."""
    search_terms: Callable[[ShownItem], str]
    """The extra words an entry's search data carries (:mod:`cucon.site.search`)."""
    images: Mapping[str, Callable]
    """The image helpers (:func:`cucon.images.image_helpers`)."""

    def subscriptions(self, ui: str) -> Subscriptions:
        """The feeds and calendars named and addressed in one UI language."""
        return Subscriptions(self.feeds, self.listings, self.settings, ui, self.translations)

    def of_files(self, ui: str) -> dict:
        """The context of feed entries, feed views and digests in one UI language (no search data)."""
        settings = self.settings
        helpers = template_helpers(
            ui,
            settings.default_lang,
            settings.languages,
            self.listings,
            settings.siteurl,
            extra=dict(self.images),
            fallbacks=settings.fallbacks,
        )
        return {
            **helpers,
            **self.subscriptions(ui).helpers(),
            "CUCON_BOT_URL": settings.bot_url,
            "CUCON_ISSUES_URL": settings.issues_url,
            "CUCON_OFFICE_EMAIL": settings.office_email,
            "CUCON_SIGN_VIDEO": settings.sign_video,
        }

    def of(self, ui: str) -> dict:
        """The context of every page in one UI language: the files' context and the search data."""
        bundle = urls.search_bundle(self.settings.search_bundle)
        return {
            **self.of_files(ui),
            "search_terms": self.search_terms,
            "search_bundle": urls.href(self.settings.siteurl, bundle),
        }
