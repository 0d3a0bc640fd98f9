"""Pelican settings for local builds of CuCon (``make html``, ``make serve``)."""

import os
import sys
from pathlib import Path

# The shared package lives in src/; make it importable even without `pip install -e .`.
sys.path.insert(0, str(Path(__file__).parent / "src"))

from cucon import urls

AUTHOR = "Kulturbüro Hannover"
SITENAME = "CuCon"
SITEURL = ""
PATH = "content"
THEME = "theme"
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"

PLUGIN_PATHS = ["plugins"]
# One adapter: cucon_site hands the build to cucon.site.build.SiteBuild.
PLUGINS = ["cucon_site"]

# The cucon_site plugin reads all of content/ through the one validator; Pelican's own
# readers read nothing, so no content file can ever reach Pelican's control keys.
ARTICLE_PATHS = []
PAGE_PATHS = []
STATIC_PATHS = []
DIRECT_TEMPLATES = []
ARTICLE_SAVE_AS = PAGE_SAVE_AS = ""
CATEGORY_SAVE_AS = TAG_SAVE_AS = AUTHOR_SAVE_AS = ""
CATEGORIES_SAVE_AS = TAGS_SAVE_AS = AUTHORS_SAVE_AS = ARCHIVES_SAVE_AS = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None

# Page 2 of a listing is <listing>/page/2/, never a name that can collide (Pelican #2806).
PAGINATION_PATTERNS = urls.PAGINATION_PATTERNS

# Keep the last good site when a build fails validation.
DELETE_OUTPUT_DIRECTORY = False

# The UI languages, DEFAULT_LANG first (its pages are at the top level, the others under /<lang>/).
CUCON_LANGUAGES = ["de", "en", "fr", "pl", "ja"]
# The sample network is written as if built on this day; its deadlines and event dates move
# with the build day, so some calls are always open and some closed. Remove for real content.
CUCON_SAMPLE_DATES_ANCHOR = "2026-11-27"

# The whole search index, never a delta (docs/search.md): the nightly rebuild sets CUCON_SEARCH_FULL=true.
CUCON_SEARCH_FULL = os.environ.get("CUCON_SEARCH_FULL", "") == "true"
