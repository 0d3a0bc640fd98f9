"""One build of the site: read, check, render, plan and write, then images, search index and state."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

from pelican.paginator import Paginator

from cucon import images, urls
from cucon.calls import filter_data
from cucon.content import Site
from cucon.gone import gone_paths, nginx_map, redirects_file
from cucon.i18n import install_translations
from cucon.incremental import STATE_FOLDER, IncrementalBuild, Planned
from cucon.markup import BUILD_ALLOWANCE
from cucon.matching import Matches, match
from cucon.problems import ContentError
from cucon.seo import robots_txt, sitemap_xml
from cucon.site import noop
from cucon.site.context import SiteContext
from cucon.site.newsletter import Newsletter
from cucon.site.outputs import FileOutput, PageOutput, page_outputs
from cucon.site.search import search_terms
from cucon.site.search_index import INDEX_DONE, index_site
from cucon.site.settings import SiteSettings
from cucon.site.templates import theme_environment, theme_template
from cucon.site.writer import Writer
from cucon.snapshot import Checked, check_content
from cucon.stopwatch import Stopwatch
from cucon.subscriptions import catalog
from cucon.views import Listings, build_listings, people_filter_data

logger = logging.getLogger(__name__)

Sitemap = list[tuple[str, list[tuple[str, str]]]]
"""Each findable page's absolute address with the addresses of its versions by language."""


class SiteBuild:
    """The build of one site from Pelican's settings (``PATH``, ``OUTPUT_PATH``, ``CACHE_PATH``,
    ``THEME``, the ``CUCON_*`` settings …); :meth:`run` writes it through a :class:`Writer`."""

    def __init__(self, settings: Mapping[str, object], log: logging.Logger = logger) -> None:
        self.pelican_settings = settings
        self.settings = SiteSettings.from_pelican(settings)
        self.content = Path(settings["PATH"])
        self.cache = Path(settings["CACHE_PATH"])
        self.theme = Path(settings["THEME"])
        self.log = log
        self.stopwatch = Stopwatch(log)
        self.env = theme_environment(settings)
        self.site: Site | None = None
        self.listings: Listings | None = None
        self.incremental: IncrementalBuild | None = None
        self.context: SiteContext | None = None
        self.matches: Matches | None = None
        self.checked: Checked | None = None

    def read(self) -> None:
        """Read and check the content; raise :class:`ContentError` with every problem found.

        Call it before anything touches the output folder: on any problem the old site stays as it was.
        """
        settings = self.settings
        state = self.cache / STATE_FOLDER if settings.incremental else None
        # Until this build completes, the last one's output does not stand.
        noop.forget(self.cache / STATE_FOLDER)
        # The check renders every body within its budget (the build allows more time, so what
        # `cucon check` passed renders here too); the HTML is kept in the snapshot.
        checked = check_content(
            self.content,
            state,
            allowance=BUILD_ALLOWANCE,
            languages=settings.languages,
            search_bundle=settings.search_bundle,  # a page must not take the search index's folder
            workers=settings.render_processes,
        )
        self.site = site = checked.site
        self.checked = checked
        if state is not None:
            self.log.info(
                "cucon read: %s",
                "no file changed since the last check or build; the checked network is reused"
                if checked.reused
                else f"{checked.changed} file(s) or folder(s) new, changed or gone since the last check or build",
            )
        self.stopwatch.lap("read+validate")
        if site.problems:
            # One message with every problem: under --fatal the first error ends the build.
            error = ContentError(site.problems)
            self.log.error("%s", error)
            raise error
        self.listings = build_listings(
            site, settings.build_time, settings.sample_dates_anchor, checked.rendered
        )
        self.stopwatch.lap("render-markdown")
        self.incremental = build = IncrementalBuild(
            self.pelican_settings, site, self.listings, enabled=settings.incremental, log=self.log
        )
        build.read = {"reused": checked.reused, "changed": checked.changed}
        build.recorder.install(self.env)
        self.matches = match(self.listings, settings.alerts_limit)
        self.stopwatch.lap("matching")
        feeds = catalog(
            self.listings, settings.feeds_limit, self.matches.feed_for, self.matches.deadlines_for
        )
        # Pages name the feeds and calendars there are: every page depends on the catalog's shape.
        build.extend_key(
            [(c.group, c.key) for c in feeds.channels],
            [(c.city, c.kind) for c in feeds.calendars],
        )
        self.context = SiteContext(
            settings,
            self.listings,
            feeds,
            self.theme / "translations",
            search_terms(self.listings, build),
            images.image_helpers(settings.images, settings.siteurl),
        )

    def run(self, writer: Writer, search_later: bool = False) -> None:
        """Write the whole site through ``writer``, publish the images, index the search and keep
        the state for the next build; with ``search_later``, all but the search index, which
        :meth:`index_search` then writes (the preview reloads the browser in between)."""
        if self.site is None:
            self.read()
        if Path(writer.output).resolve() != self.incremental.output.resolve():
            # The incremental state compares what it writes with what OUTPUT_PATH holds.
            raise ValueError(
                f"cucon: the writer writes into {writer.output}, the settings' OUTPUT_PATH is elsewhere"
            )
        sitemap: Sitemap = []
        for ui in self.settings.languages:
            self._write_pages(writer, ui, sitemap)
        self._write_files(writer, [self._call_filters(), *map(self._people_filters, self.settings.languages)])
        self.stopwatch.lap("write-pages")
        self._write_site_files(writer, sitemap)
        self._publish_images(writer.output)
        self.stopwatch.lap("copy-images")
        newsletter = Newsletter(self.context, self.env, self.pelican_settings, writer.output, self.log)
        for ui in self.settings.languages:
            self._write_files(writer, newsletter.outputs(ui))
        self.stopwatch.lap("feeds")
        for ui in self.settings.languages:
            self._write_files(writer, newsletter.alert_outputs(ui))
        newsletter.report()
        self.stopwatch.lap("alerts")
        if search_later:
            # Until the index is written, the last one is not the index of these pages.
            if self.incremental.finish() or self.incremental.changed:
                (self.incremental.begin().folder / INDEX_DONE).unlink(missing_ok=True)
            self.incremental.save()
            return
        self.index_search(writer.output)
        self.incremental.save()
        selected = self.pelican_settings.get("WRITE_SELECTED")
        if self.checked.settled and self.settings.incremental and not selected:
            # The next build with the same inputs, before anything shown changes with time, has nothing to do.
            moments = noop.content_moments(self.listings.entries.values())
            until = noop.next_change(moments, self.listings.now, self.settings.timezone)
            units = len(self.incremental.begin().units)
            noop.keep(self.pelican_settings, self.checked.stamp, self.listings.now, until, units)

    def index_search(self, output: Path) -> None:
        """Index the written site for search (``cucon.site.search_index``)."""
        index_site(output, self.settings, self.incremental, self.site.removed, self.log)
        self.stopwatch.lap("search-index")

    def _write_pages(self, writer: Writer, ui: str, sitemap: Sitemap) -> None:
        """Write the pages of one UI language that changed since the last build; add them to the sitemap."""
        settings = self.settings
        install_translations(self.env, self.theme / "translations", ui)
        helpers = self.context.of(ui)
        base = {**self.pelican_settings, **helpers}
        planned: list[Planned] = []
        outputs = page_outputs(
            self.listings, self.site.removed, ui, settings.default_lang, settings.per_page, self.matches
        )
        for page in outputs:
            self._plan(planned, page)
            absolute = urls.absolute(settings.siteurl, page.url)
            if not page.findable or not absolute:
                continue
            if "entry" in page.values:
                alternates = helpers["hreflangs"](page.values["entry"])
            else:
                alternates = helpers["section_hreflangs"](page.url[len(helpers["prefix"]) :])
            versions = [(a["lang"], a["url"]) for a in alternates]
            sitemap.append(
                (absolute, [(lang, urls.absolute(settings.siteurl, url)) for lang, url in versions])
            )
        self.incremental.write_all(
            planned, lambda p: self._render(writer, base, p), settings.render_processes
        )

    def _plan(self, planned: list[Planned], page: PageOutput) -> None:
        """Plan one page (or each page of a series) unless it is unchanged since the last build."""
        values = dict(page.values)
        if page.series is None:
            self._plan_one(planned, page.template, page.save_as, page.url, values, values)
            return
        # Each page of a series is an output of its own, so one changed entry rewrites one page.
        key, objects = page.series
        paginator = Paginator(page.save_as, page.url, objects, self.pelican_settings, self.settings.per_page)
        for number in range(1, paginator.num_pages + 1):
            part = paginator.page(number)
            shown = {
                **values,
                f"{key}_paginator": paginator,
                f"{key}_page": part,
                f"{key}_previous_page": paginator.page(number - 1) if number > 1 else None,
                f"{key}_next_page": paginator.page(number + 1) if number < paginator.num_pages else None,
            }
            described = {
                **values,
                "page": (number, paginator.num_pages, paginator.count, part.save_as, list(part.object_list)),
            }
            self._plan_one(planned, page.template, part.save_as, page.url, shown, described)

    def _plan_one(self, planned, template, save_as, page_url, values, described) -> None:
        found = self.incremental.plan(save_as, (template, described), (template, save_as, page_url, values))
        if found is not None:
            planned.append(found)

    def _render(self, writer: Writer, base: dict, planned: Planned) -> list[str]:
        """Render one planned page into its file."""
        template, save_as, page_url, values = planned.job
        context = {
            **base,
            "page_url": page_url,
            "canonical": urls.absolute(self.settings.siteurl, page_url),
            **values,
        }
        html = theme_template(self.env, self.pelican_settings, template).render(context)
        return [writer.write(save_as, html.encode("utf-8"))]

    def _write_files(self, writer: Writer, outputs: Iterable[FileOutput]) -> None:
        """Write the files of some outputs that changed since the last build (on every core, like pages)."""
        planned = []
        for output in outputs:
            found = self.incremental.plan(output.name, output.values, output.render)
            if found is not None:
                planned.append(found)
        self.incremental.write_all(
            planned,
            lambda p: [writer.write(name, data) for name, data in p.job().items()],
            self.settings.render_processes,
        )

    def _call_filters(self) -> FileOutput:
        """The data the calls page's script filters by (cucon.calls.filter_data), one file for every UI language."""
        data = filter_data(self.listings.of("call"), self.listings.of("city"))
        encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return FileOutput(urls.CALL_FILTERS, data, lambda: {urls.CALL_FILTERS: encoded})

    def _people_filters(self, ui: str) -> FileOutput:
        """The data the people directory's script filters by (cucon.views.people_filter_data) in one UI language."""
        settings = self.settings
        data = people_filter_data(self.listings.of("profile"), ui, settings.fallbacks.get(ui, ()))
        name = urls.people_filters(urls.lang_prefix(ui, settings.default_lang))
        encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return FileOutput(name, data, lambda: {name: encoded})

    def _write_site_files(self, writer: Writer, sitemap: Sitemap) -> None:
        """The sitemap, robots.txt, and the rules that answer 410 Gone at removed profiles' addresses."""
        settings = self.settings
        # A sitemap needs absolute URLs: only a build with an absolute SITEURL writes one.
        sitemap_url = urls.absolute(settings.siteurl, urls.SITEMAP)
        files = {urls.ROBOTS: robots_txt(sitemap_url)}
        if sitemap_url:
            files[urls.SITEMAP] = sitemap_xml(sitemap)
        gone = gone_paths(self.site.removed, settings.languages, settings.default_lang, settings.siteurl)
        files |= dict(zip(urls.GONE_RULES, (redirects_file(gone), nginx_map(gone)), strict=True))
        self.incremental.begin().produced(writer.write(name, text.encode()) for name, text in files.items())

    def _publish_images(self, output: Path) -> None:
        """Clean, resize and cache every image, draw the share cards, and place them under media/.

        The work is cucon.images.publish (cached by content hash, on every core); an image in a
        Markdown body without alt text is logged as a warning here, because cucon check has no
        warning level (and bodies drop images anyway: the sanitiser does not allow <img>).
        """
        for entry in self.listings.entries.values():
            for line, source in images.images_without_alt(entry.item.body):
                self.log.warning(
                    "%s:%d: (body): the image '%s' has no alt text; describe what it shows, "
                    "as in ![what the picture shows](%s)",
                    entry.item.path,
                    entry.item.doc.body_line + line,
                    source,
                    source,
                )
        placed: set[str] = set()
        try:
            images.publish(
                self.listings.entries.values(), output, self.cache, self.settings.images, self.log, placed
            )
        except images.ImageError as error:
            self.log.error("cucon images: %d image(s) failed:\n%s", len(error.messages), error)
            raise
        self.incremental.begin().produced(placed)
