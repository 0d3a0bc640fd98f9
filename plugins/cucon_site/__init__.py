"""Pelican plugin: validate content with the cucon package and write every page of the site."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

from pelican import signals
from pelican.generators import Generator
from pelican.paginator import Paginator

from cucon import images as image_module
from cucon import urls
from cucon.checks import load_site
from cucon.gone import gone_paths, write_gone_rules
from cucon.i18n import install_translations
from cucon.images import ImageError, image_helpers, images_without_alt, publish
from cucon.incremental import (
    STATE_FOLDER,
    IncrementalBuild,
    Planned,
    load_saved,
    save,
)
from cucon.markup import BUILD_ALLOWANCE
from cucon.problems import ContentError
from cucon.seo import robots_txt, sitemap_xml
from cucon.site.context import SiteContext
from cucon.site.search import search_terms
from cucon.site.settings import SiteSettings
from cucon.stopwatch import Stopwatch
from cucon.subscriptions import catalog
from cucon.views import Listings, build_listings, letter_index

logger = logging.getLogger(__name__)

READ_CACHE = "read.pickle"
READ_CACHE_VERSION = 3
"""The read cache in the state folder: valid items by digest, and their bodies' HTML (version 2: cmark-gfm;
3: an image's refusal is pickled as a problem code and values)."""


class CuconGenerator(Generator):
    """Reads and validates content/ at start-up, then writes every page in every UI language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.site_settings = settings = SiteSettings.from_pelican(self.settings)
        self.stopwatch = Stopwatch(logger)
        incremental = settings.incremental
        cached = load_saved(self._read_cache_path(), READ_CACHE_VERSION) if incremental else {}
        items, rendered = cached.get("items", {}), cached.get("html", {})
        headers = image_module.HEADERS = dict(cached.get("headers", {}))
        before = (len(items), len(rendered), len(headers))
        # Validate before Pelican touches output/: on any problem the old site stays as it was.
        self.workers = settings.render_processes
        # The check renders every body within its budget (the build allows more time, so what
        # `cucon check` passed renders here too); the HTML goes into the read cache.
        self.site = load_site(
            Path(self.path),
            items,
            rendered,
            workers=self.workers,
            allowance=BUILD_ALLOWANCE,
            languages=settings.languages,
            search_bundle=settings.search_bundle,  # a page must not take the search index's folder
        )
        self.stopwatch.lap("read+validate")
        if self.site.problems:
            # One message with every problem: under --fatal the first error ends the build.
            error = ContentError(self.site.problems)
            logger.error("%s", error)
            raise error
        self.listings: Listings = build_listings(
            self.site, settings.build_time, settings.sample_dates_anchor, rendered
        )
        if incremental:
            # Keep only what this content still has, so the cache stays the size of the site.
            live = list(self.site.items())
            files = {os.path.abspath(path) for path in self.site.files}
            kept = {
                "items": {(i.type, i.path, i.digest): i for i in live},
                "html": {i.digest: rendered[i.digest] for i in live if i.digest in rendered},
                "headers": {key: found for key, found in headers.items() if key[0] in files},
            }
            if (len(items), len(rendered), len(headers)) != before or [len(v) for v in kept.values()] != list(
                before
            ):
                save(self._read_cache_path(), kept, READ_CACHE_VERSION)
        self.stopwatch.lap("render-markdown")
        self.image_helpers = image_helpers(settings.images, settings.siteurl)
        # Every value from content is escaped; only sanitised bodies are marked safe.
        self.env.autoescape = True
        self.env.add_extension("jinja2.ext.i18n")
        self.build = IncrementalBuild(
            self.settings, self.site, self.listings, enabled=incremental, log=logger
        )
        self.build.recorder.install(self.env)
        _UNSAVED.append(self.build)

    def _read_cache_path(self) -> Path:
        return Path(self.settings["CACHE_PATH"]) / STATE_FOLDER / READ_CACHE

    def generate_context(self) -> None:
        """Make the template context of the UI languages; share it and the incremental build with the
        feeds and search plugins (Pelican's generators meet only in its context)."""
        feeds = catalog(self.listings, self.site_settings.feeds_limit)
        # Pages name the feeds and calendars there are: every page depends on the catalog's shape.
        self.build.extend_key(
            [(c.group, c.key) for c in feeds.channels],
            [(c.city, c.kind) for c in feeds.calendars],
        )
        self.site_context = SiteContext(
            self.site_settings,
            self.listings,
            feeds,
            Path(self.theme) / "translations",
            search_terms(self.listings, self.build),
            self.image_helpers,
        )
        self.context["cucon"] = self.site_context
        self.context["cucon_build"] = self.build

    def generate_output(self, writer) -> None:
        """Write every page in every UI language, then sitemap, robots.txt, the 410 rules and the images."""
        languages = self.site_settings.languages
        default = self.site_settings.default_lang
        theme = Path(self.theme)
        siteurl = self.site_settings.siteurl
        sitemap: list[tuple[str, list[tuple[str, str]]]] = []
        for ui in languages:
            install_translations(self.env, theme / "translations", ui)
            helpers = self.site_context.of(ui)
            base = {**self.context, **helpers}
            planned: list[Planned] = []
            for template, save_as, values in self._pages(ui, helpers):
                page_url = self._plan(planned, template, save_as, **values)
                # Neither the 404 page nor a removed profile's page is a page to find.
                if template in ("404", "removed") or not urls.absolute(siteurl, page_url):
                    continue
                if "entry" in values:
                    alternates = helpers["alternates"](values["entry"])
                else:
                    alternates = helpers["section_alternates"](page_url[len(helpers["prefix"]) :])
                versions = [(ui, page_url)] + [(a["lang"], a["url"]) for a in alternates]
                sitemap.append(
                    (
                        urls.absolute(siteurl, page_url),
                        [(lang, urls.absolute(siteurl, url)) for lang, url in versions],
                    )
                )
            self.build.write_all(planned, lambda p, base=base: self._write(writer, base, p), self.workers)
        self.stopwatch.lap("write-pages")
        output = Path(self.output_path)
        # A sitemap needs absolute URLs: only a build with an absolute SITEURL writes one.
        sitemap_url = urls.absolute(siteurl, urls.SITEMAP)
        if sitemap_url:
            (output / urls.SITEMAP).write_text(sitemap_xml(sitemap), "utf-8")
            self.build.begin().produced([urls.SITEMAP])
        (output / urls.ROBOTS).write_text(robots_txt(sitemap_url), "utf-8")
        # Hosts that read them answer 410 Gone at the removed profiles' addresses.
        write_gone_rules(output, gone_paths(self.site.removed, languages, default, siteurl))
        self.build.begin().produced([urls.ROBOTS, *urls.GONE_RULES])
        self._publish_images()
        self.stopwatch.lap("copy-images")

    def _plan(self, planned: list[Planned], template: str, save_as: str, **values) -> str:
        """Plan one page (or each page of a series) unless it is unchanged since the last build;
        return its URL path."""
        page_url = urls.url_of(save_as)
        paginated = values.pop("paginated", None)
        if not paginated:
            self._plan_one(planned, template, save_as, page_url, values, values)
            return page_url
        # Each page of a series is an output of its own, so one changed entry rewrites one page.
        ((key, objects),) = paginated.items()
        paginator = Paginator(save_as, page_url, objects, self.settings, self.site_settings.per_page)
        for number in range(1, paginator.num_pages + 1):
            page = paginator.page(number)
            shown = {
                **values,
                f"{key}_paginator": paginator,
                f"{key}_page": page,
                f"{key}_previous_page": paginator.page(number - 1) if number > 1 else None,
                f"{key}_next_page": paginator.page(number + 1) if number < paginator.num_pages else None,
            }
            described = {
                **values,
                "page": (number, paginator.num_pages, paginator.count, page.save_as, list(page.object_list)),
            }
            self._plan_one(planned, template, page.save_as, page_url, shown, described)
        return page_url

    def _plan_one(self, planned, template, save_as, page_url, values, described) -> None:
        found = self.build.plan(save_as, (template, described), (template, save_as, page_url, values))
        if found is not None:
            planned.append(found)

    def _write(self, writer, base: dict, planned: Planned) -> list[str]:
        """Render one planned page; its file under output/."""
        template, save_as, page_url, values = planned.job
        context = {
            **base,
            "page_url": page_url,
            "canonical": urls.absolute(self.site_settings.siteurl, page_url),
        }
        writer.write_file(save_as, self.get_template(template), context, template_name=template, **values)
        return [save_as]

    def _pages(self, ui: str, helpers: dict) -> Iterator[tuple[str, str, dict]]:
        """(template, save_as, values) of every page of one UI language."""
        listings = self.listings
        prefix, default = helpers["prefix"], helpers["default_ui"]
        yield "home", urls.save_as(urls.home(prefix)), {}
        for entry in listings.entries.values():
            yield entry.type, urls.save_as(entry.url(ui, default)), {"entry": entry}
        for discipline in listings.disciplines:
            found = listings.by_discipline[discipline.slug]
            yield (
                "discipline",
                urls.save_as(urls.discipline(discipline.slug, prefix)),
                {"discipline": discipline, "found": found},
            )
        profiles = listings.of("profile")
        first = urls.listing("profiles", prefix)
        yield (
            "profiles",
            urls.save_as(first),
            {
                "paginated": {"entries": profiles},
                "letters": letter_index(profiles, first, self.site_settings.per_page),
            },
        )
        for facet, value, entries in listings.profile_facets():
            yield (
                "directory",
                urls.save_as(urls.directory(facet, value, prefix)),
                {"paginated": {"entries": entries}, "facet": facet, "facet_value": value},
            )
        yield "calls", urls.save_as(urls.listing("calls", prefix)), {}
        news = {"paginated": {"entries": listings.of("news")}}
        yield "news_index", urls.save_as(urls.listing("news", prefix)), news
        for template in ("cities", "disciplines", "subscribe", "search"):
            yield template, urls.save_as(urls.listing(template, prefix)), {}
        # A removed profile's old address says it was removed (content/removed.yaml; cucon remove).
        for tombstone in self.site.removed:
            yield "removed", urls.save_as(urls.entry(tombstone.type, tombstone.slug, prefix)), {}
        if ui == default:
            yield "404", urls.NOT_FOUND, {}

    def _publish_images(self) -> None:
        """Clean, resize and cache every image, draw the share cards, and place them under media/.

        The work is cucon.images.publish (cached by content hash, on every core); an image in a
        Markdown body without alt text is logged as a warning here, because cucon check has no
        warning level (and bodies drop images anyway: the sanitiser does not allow <img>).
        """
        for entry in self.listings.entries.values():
            for line, source in images_without_alt(entry.item.body):
                logger.warning(
                    "%s:%d: (body): the image '%s' has no alt text; describe what it shows, "
                    "as in ![what the picture shows](%s)",
                    entry.item.path,
                    entry.item.doc.body_line + line,
                    source,
                    source,
                )
        placed: set[str] = set()
        try:
            publish(
                self.listings.entries.values(),
                Path(self.output_path),
                Path(self.settings["CACHE_PATH"]),
                self.site_settings.images,
                logger,
                placed,
            )
        except ImageError as error:
            logger.error("cucon images: %d image(s) failed:\n%s", len(error.messages), error)
            raise
        self.build.begin().produced(placed)


_UNSAVED: list[IncrementalBuild] = []
"""Builds of this process whose state is not saved yet (Pelican's last signal names no generator)."""


def save_state(sender) -> None:
    """After the build: remove what the last build left over, and keep the state for the next."""
    while _UNSAVED:
        _UNSAVED.pop().save()


def get_generators(pelican_object):
    """Add the CuCon generator to Pelican's."""
    return CuconGenerator


def register():
    """Connect the plugin's signals."""
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(save_state)
