"""Playwright tests in Debian's chromium, with axe-core for WCAG 2.1 A/AA."""
