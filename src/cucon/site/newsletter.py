"""The interactive newsletter of one UI language: feeds, calendars, OPML lists and weekly digests per city."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment

from cucon import urls
from cucon.calendars import calendar_ics
from cucon.digest import weekly_digest
from cucon.feeds import FeedHead, FeedItem, feed_xml, stable_moment
from cucon.i18n import day_parts, format_day, format_fee, install_translations, load_catalog
from cucon.site.context import SiteContext, Subscriptions
from cucon.site.outputs import FileOutput
from cucon.site.templates import theme_template
from cucon.subscriptions import (
    ALERT_FORMATS,
    FEED_FORMATS,
    calendar_title,
    channel_description,
    channel_title,
    opml,
)


def call_money(facts, gettext, ui: str) -> str:
    """A call's award and fee to apply in one labelled line, as the theme's ``call_money`` macro writes it."""
    labels = {
        "fee": gettext("Fee or commission"),
        "grant": gettext("Grant or stipend"),
        "prize": gettext("Prize"),
        "budget": gettext("Budget"),
        "in_kind": gettext("In kind (value)"),
    }
    fee = gettext("None") if facts.fee == "none" else format_fee(facts.fee.amount, facts.fee.currency, ui)
    award = facts.award
    offered = f"{labels[award.kind]}: {format_fee(award.amount, award.currency, ui)} · " if award else ""
    return f"{offered}{gettext('Application fee:')} {fee}"


class Newsletter:
    """Every feed, calendar, OPML list and digest of a site as outputs, one UI language at a time."""

    def __init__(
        self,
        site: SiteContext,
        env: Environment,
        pelican_settings: Mapping,
        output: Path,
        log: logging.Logger,
    ) -> None:
        self.site = site
        self.settings = site.settings
        self.listings = listings = site.listings
        self.catalog = site.feeds
        self.env = env
        self.pelican_settings = pelican_settings
        self.output = Path(output)
        """Where the images are published: a feed's enclosure names the size of its entry's picture."""
        self.log = log
        self._items: dict[str, dict[int, FeedItem]] = {}
        """Each UI language's feed items by entry, rendered once for every feed that holds the entry."""
        self._entries: dict[str, dict] = {}
        """Each UI language's feed entries as XML (:func:`cucon.feeds.feed_xml`), written once."""
        self._events: dict[str, dict] = {}
        """Each UI language's calendar events as iCalendar text (:func:`cucon.calendars.calendar_ics`), written once."""
        # What each digest lists is the same in every UI language: pick it once per build.
        self.digests = {
            city.slug: weekly_digest(
                listings, city.slug, self.settings.feeds_digest_days, self.settings.feeds_digest_ahead
            )
            for city in listings.of("city")
        }

    def outputs(self, ui: str) -> Iterator[FileOutput]:
        """The network's files of one UI language; rendered only when the build writes them."""
        subscriptions, helpers = self._language(ui)
        yield from self._feeds(subscriptions, helpers)
        yield from self._calendars(subscriptions, self.catalog.calendars)
        yield from self._calendars(subscriptions, self.catalog.event_calendars)
        yield from self._digests(subscriptions, helpers)

    def alert_outputs(self, ui: str) -> Iterator[FileOutput]:
        """Each profile's feed and calendar of "calls for you" in one UI language."""
        subscriptions, helpers = self._language(ui)
        yield from self._channels(subscriptions, helpers, self.catalog.alerts)
        yield from self._calendars(subscriptions, self.catalog.alert_calendars)

    def _language(self, ui: str) -> tuple[Subscriptions, dict]:
        """The subscriptions and the template helpers of one UI language, its translations installed."""
        subscriptions = self.site.subscriptions(ui)
        install_translations(self.env, self.site.translations, ui)
        helpers = self.site.of_files(ui)
        base = {**self.pelican_settings, **helpers}
        macros = self.env.get_template("_macros.html").make_module(base)
        helpers["kind_label"] = lambda entry, macros=macros: str(macros.kind_label(entry)).strip()
        return subscriptions, helpers

    def report(self) -> None:
        """Log how many feeds and calendars each language has."""
        self.log.info(
            "cucon feeds: %d feeds, %d calendars per language, and %d profiles' feeds and calendars",
            len(self.catalog.channels) * len(FEED_FORMATS),
            len(self.catalog.calendars),
            len(self.catalog.alerts),
        )

    def _template(self, name: str):
        return theme_template(self.env, self.pelican_settings, name)

    def _feeds(self, subs: Subscriptions, helpers: dict) -> Iterator[FileOutput]:
        """Every feed of the network in Atom and RSS, the XSLT view, and the OPML list of the city feeds."""
        yield from self._channels(subs, helpers, self.catalog.channels)
        translate = {
            lang: load_catalog(self.site.translations, lang).gettext for lang in helpers["ui_languages"]
        }

        def stylesheet():
            xsl = self.env.get_template("feed.xsl").render(
                {
                    **self.pelican_settings,
                    **helpers,
                    "translate": lambda lang, text: translate[lang](text),
                    "day_parts": lambda month: day_parts(month, subs.ui),
                }
            )
            return {urls.feed_stylesheet(subs.prefix): xsl.encode()}

        yield FileOutput(urls.feed_stylesheet(subs.prefix), subs.ui, stylesheet)

        def cities():
            found = [
                (
                    channel_title(c, subs.sitename, subs.name, subs._),
                    subs.href(c.url(subs.prefix, "atom")),
                    "",
                )
                for c in sorted(self.catalog.of_group("city"), key=lambda c: subs.name("city", c.key))
            ]
            title = subs._("%(site)s: the feeds of every city") % {"site": subs.sitename}
            return {urls.opml(subs.prefix): opml(title, found)}

        yield FileOutput(urls.opml(subs.prefix), subs.ui, cities)

    def _channels(self, subs: Subscriptions, helpers: dict, channels) -> Iterator[FileOutput]:
        """Some feeds, each entry rendered once per UI language (:meth:`_item`)."""
        timezone = ZoneInfo(self.settings.timezone)
        # An empty feed's date: the build day, never the build's clock time (builds stay reproducible).
        fallback = stable_moment(self.listings.now.astimezone(timezone).date(), timezone)
        items = self._items.setdefault(subs.ui, {})
        entry_template = self._template("feed_entry")
        for channel in channels:

            def render(channel=channel, fmt=None, url=None):
                for entry in channel.entries:
                    if id(entry) not in items:
                        items[id(entry)] = self._item(entry, subs, helpers, entry_template, timezone)
                head = FeedHead(
                    id=channel.feed_id(subs.ui, self._stable_key(channel)),
                    title=channel_title(channel, subs.sitename, subs.name, subs._),
                    description=channel_description(channel, subs.name, subs._),
                    language=subs.ui,
                    self_url=subs.href(url),
                    page_url=subs.href(urls.feed_page(channel.group, channel.key, subs.prefix)),
                    stylesheet=subs.href(urls.feed_stylesheet(subs.prefix)),
                    alternates=tuple(
                        (
                            other,
                            subs.href(channel.url(urls.lang_prefix(other, self.settings.default_lang), fmt)),
                        )
                        for other in self.settings.languages
                        if other != subs.ui
                    ),
                )
                written = [items[id(e)] for e in channel.entries]
                # A profile's feed is an alert: each call's summary and link; the network's feeds carry the text.
                full = channel.group != "profile"
                entries = self._entries.setdefault(subs.ui, {})
                return {url: feed_xml(head, written, fmt, fallback, entries, full)}

            # A profile's own feed is Atom only (every feed reader reads it): one file per profile and
            # language instead of two, where profiles are the network's largest number.
            for fmt in FEED_FORMATS if channel.group != "profile" else ALERT_FORMATS:
                url = channel.url(subs.prefix, fmt)
                # The build day matters only to an empty feed, whose date it is.
                values = (channel, None if channel.entries else fallback)
                yield FileOutput(
                    url, values, lambda render=render, fmt=fmt, url=url: render(fmt=fmt, url=url)
                )

    def _item(self, entry, subs: Subscriptions, helpers: dict, template, timezone) -> FeedItem:
        """One entry as a feed item in this UI language; its id is the original's permanent id."""
        version = helpers["in_ui"](entry)
        categories = [(c.slug, "urn:cucon:city", subs.name("city", c.slug)) for c in entry.cities]
        categories += [
            (d.slug, "urn:cucon:discipline", subs.name("discipline", d.slug)) for d in entry.disciplines
        ]
        kind = getattr(entry.facts, "kind", entry.type)
        categories.append((kind, f"urn:cucon:{entry.type}-kind", helpers["kind_label"](entry)))
        picture = helpers["responsive"](entry) if "responsive" in helpers else None
        enclosure = None
        if picture:
            path = self.output / urls.site_path(subs.siteurl, picture["src"])
            enclosure = (picture["src"], path.stat().st_size if path.is_file() else 0, "image/jpeg")
        return FeedItem(
            id=f"urn:uuid:{entry.facts.id}",
            title=version.title,
            link=subs.href(version.url(subs.ui, self.settings.default_lang)),
            summary=version.summary,
            content=template.render({**self.pelican_settings, **helpers, "entry": entry, "version": version}),
            published=stable_moment(entry.published, timezone),
            updated=stable_moment(max(entry.updated, version.updated or entry.updated), timezone),
            language=version.lang,
            categories=tuple(categories),
            enclosure=enclosure,
        )

    def _stable_key(self, channel) -> str | None:
        """A city's or profile's feed id follows its permanent id, so renaming it keeps the feed's id."""
        if channel.group in ("city", "profile"):
            return f"{channel.group}/{self.listings.entries[(channel.group, channel.key)].facts.id}"
        return None

    def _calendars(self, subs: Subscriptions, calendars) -> Iterator[FileOutput]:
        """Some calendars of events or of deadlines."""
        default = self.settings.default_lang
        fallback = self.settings.fallbacks.get(subs.ui, ())
        today = self.listings.now.date()
        for calendar in calendars:

            def render(calendar=calendar):
                where = subs.name("city", calendar.city) if calendar.city else subs.sitename
                description = (
                    subs._("Events in %(place)s, from %(site)s.")
                    if calendar.kind == "events"
                    else subs._("Deadlines of open calls in %(place)s, from %(site)s.")
                ) % {"place": where, "site": subs.sitename}
                if calendar.profile:
                    description = subs._("Deadlines of the calls for %(name)s, from %(site)s.") % {
                        "name": subs.name("profile", calendar.profile),
                        "site": subs.sitename,
                    }
                title = calendar_title(calendar, subs.sitename, subs.name, subs._)
                if calendar.event:  # one event: its own title and summary, in the UI language if translated
                    shown = calendar.entries[0].in_language(subs.ui, fallback)
                    title, description = f"{subs.sitename}: {shown.title}", shown.summary
                ics = calendar_ics(
                    calendar,
                    title=title,
                    description=description,
                    language=subs.ui,
                    version=lambda entry: entry.in_language(subs.ui, fallback),
                    page_url=lambda entry: subs.href(
                        entry.in_language(subs.ui, fallback).url(subs.ui, default)
                    ),
                    deadline_label=subs._("Deadline"),
                    money_label=lambda entry: call_money(entry.facts, subs._, subs.ui),
                    opens_label=lambda moment: (
                        subs._("Opens %(date)s") % {"date": format_day(moment.date(), subs.ui)}
                    ),
                    timezone=self._timezone(calendar),
                    today=today,
                    events=self._events.setdefault(subs.ui, {}),
                )
                return {calendar.url(subs.prefix): ics}

            # The build day matters only to an empty calendar: its year picks the timezone rules.
            values = (calendar, None if calendar.entries else today.year)
            yield FileOutput(calendar.url(subs.prefix), values, render)

    def _timezone(self, calendar) -> str:
        """A calendar's timezone: its event's, its city's, its profile's first city's, else the site's."""
        if calendar.event:
            return getattr(calendar.entries[0].event_start.tzinfo, "key", self.settings.timezone)
        if calendar.profile:
            return self.listings.entries[("profile", calendar.profile)].cities[0].meta.timezone
        if calendar.city:
            return self.listings.entries[("city", calendar.city)].meta.timezone
        return self.settings.timezone

    def _digests(self, subs: Subscriptions, helpers: dict) -> Iterator[FileOutput]:
        """The weekly digest of every city, as e-mail-ready HTML and as plain text."""
        html_template = self._template("digest")
        text_template = self.env.get_template("digest.txt")
        for city in self.listings.of("city"):
            channel = self.catalog.channel("city", city.slug)
            values = {
                **self.pelican_settings,
                **helpers,
                "digest": self.digests[city.slug],
                "city": city,
                "feed_url": subs.href(channel.url(subs.prefix, "atom")),
            }

            def render(values=values, city=city.slug):
                return {
                    urls.digest(city, "html", subs.prefix): html_template.render(values).encode(),
                    urls.digest(city, "txt", subs.prefix): text_template.render(values).encode(),
                }

            stem = urls.digest_stem(city.slug, subs.prefix)
            yield FileOutput(stem, (self.digests[city.slug], values["feed_url"]), render)
