"""Browser tests: the built sample network in headless Chromium, driven by Playwright."""
