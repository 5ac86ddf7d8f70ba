"""Browser tests: the real page in Debian's chromium, driven by Playwright."""
