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
# links to its form; unset, the page points to the issue forms and pull requests only.
CUCON_BOT_URL = os.environ.get("CUCON_BOT_URL") or None
