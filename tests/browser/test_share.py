"""The link to this view: it follows the address bar, and the copy button works from the
keyboard and says what it did (also where the browser has no clipboard)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dashboard import WAIT_MS, _load

pytestmark = pytest.mark.browser

FIELD_IS_ADDRESS = "() => document.querySelector('#share-url').value === location.href"
STATUS = "#copy-status"
NO_CLIPBOARD = """
    Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined});
    document.execCommand = () => false;
"""


def _page(browser, live_server, width: int, **context_options):
    context = browser.new_context(viewport={"width": width, "height": 900}, **context_options)
    page = context.new_page()
    page.page_errors = []
    page.on("pageerror", lambda e: page.page_errors.append(str(e)))
    page.base_url = live_server
    return page


def _share_area_screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(".share-area").screenshot(path=ARTIFACTS / name)


def _change_filters(page, *labels: str) -> None:
    for label in labels:
        before = page.url
        page.get_by_text(label, exact=True).click()
        page.wait_for_function(f"() => location.href !== {before!r}", timeout=WAIT_MS)
    page.wait_for_function(FIELD_IS_ADDRESS, timeout=WAIT_MS)


def test_the_link_follows_the_address_and_copies_from_the_keyboard(browser, live_server):
    page = _page(browser, live_server, 1440, permissions=["clipboard-read", "clipboard-write"])
    _load(page, "/?lang=en")
    _change_filters(page, "Bulgaria", "Circular")
    assert "country=BG" in page.url and "type=" in page.url
    assert page.input_value("#share-url") == page.url

    page.focus("#share-url")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "copy-link"
    assert page.evaluate("() => document.activeElement.tagName") == "BUTTON"
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => document.querySelector('{STATUS}').innerText === 'Link copied'", timeout=WAIT_MS
    )
    status = page.locator(STATUS)
    assert status.get_attribute("aria-live") == "polite" and status.get_attribute("role") == (
        "status"
    )
    assert page.evaluate("() => navigator.clipboard.readText()") == page.url
    _share_area_screenshot(page, "share-1440.png")

    _change_filters(page, "Romania")  # Space on the button copies the new address
    page.focus("#copy-link")
    page.keyboard.press("Space")
    page.wait_for_function(
        f"() => navigator.clipboard.readText().then(t => t === {page.url!r})", timeout=WAIT_MS
    )
    assert page.page_errors == []
    page.context.close()


def test_without_a_clipboard_the_link_is_selected_with_a_message(browser, live_server):
    page = _page(browser, live_server, 390)
    page.add_init_script(NO_CLIPBOARD)
    _load(page, "/?year=2020")
    page.click("#filter-toggle")  # on a phone the share link is in the filters' drawer
    page.wait_for_function("() => document.getElementById('copy-link').getClientRects().length")
    page.focus("#copy-link")
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => document.querySelector('{STATUS}').innerText.includes('Strg+C')", timeout=WAIT_MS
    )
    selected = page.evaluate(
        """() => { const f = document.activeElement;
            return [f.id, f.selectionStart, f.selectionEnd, f.value.length]; }"""
    )
    assert selected[:3] == ["share-url", 0, selected[3]] and selected[3] > 0
    assert page.input_value("#share-url") == page.url
    _share_area_screenshot(page, "share-390.png")
    assert page.page_errors == []
    page.context.close()
