"""Pelican settings for the production build: pelicanconf.py plus the public address."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("CUCON_SITEURL", "https://cucon.hannover.de")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True

# The submission service (docs/bot.md), e.g. https://forms.cucon.example: when set, the contribute page
# links to its forms; unset, the page links to the GitHub issue forms (CUCON_ISSUES_URL) instead.
CUCON_BOT_URL = os.environ.get("CUCON_BOT_URL") or None
# The repository's "new issue" address: given, or the repository GitHub Actions builds (docs/settings.md).
CUCON_ISSUES_URL = os.environ.get("CUCON_ISSUES_URL") or (
    f"{os.environ.get('GITHUB_SERVER_URL') or 'https://github.com'}/{os.environ['GITHUB_REPOSITORY']}/issues/new"
    if os.environ.get("GITHUB_REPOSITORY")
    else None
)
