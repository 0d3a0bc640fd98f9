"""Pelican plugin: build the CuCon site with :class:`cucon.site.build.SiteBuild`.

Pelican reads nothing itself (pelicanconf.py gives its readers no paths); this adapter hands its
settings to the build and its output folder to a :class:`cucon.site.writer.FileWriter`. When the
last build's output still stands (:func:`cucon.site.noop.nothing_to_do`), it does nothing, and
does not even import the build's code.
"""

from __future__ import annotations

from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from cucon.site.noop import nothing_to_do


class CuconGenerator(Generator):
    """Reads and checks the content when Pelican starts; writes the whole site when Pelican writes."""

    search_later = False
    """Set by the preview of ``make serve`` (cucon.preview): write all but the search index, which it
    writes with ``site_build.index_search`` once the browser has reloaded."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.site_build = None
        if nothing_to_do(self.settings):
            return
        from cucon.site.build import SiteBuild  # what a build with nothing to do does not need

        self.site_build = SiteBuild(self.settings)
        # Before Pelican touches output/: on any problem the old site stays as it was.
        self.site_build.read()

    def generate_context(self) -> None:
        """Nothing to share: no other generator reads CuCon's content."""

    def generate_output(self, writer) -> None:
        """Write every output of the site, then its images, search index and incremental state."""
        if self.site_build is None:
            return
        from cucon.site.writer import FileWriter

        selected = frozenset(self.settings.get("WRITE_SELECTED") or ())
        self.site_build.run(FileWriter(Path(self.output_path), selected), self.search_later)


def get_generators(pelican_object) -> type[Generator]:
    """Add the CuCon generator to Pelican's."""
    return CuconGenerator


def register() -> None:
    """Connect the plugin's signals."""
    signals.get_generators.connect(get_generators)
