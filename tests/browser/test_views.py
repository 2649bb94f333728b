"""Curated views in Chromium: the list, each presentation page, the way into the explorer."""

from __future__ import annotations

import contextlib
import http.server
import threading

import pytest

from dashboard import figures
from layers.views import load_views
from tests.browser.test_dashboard import WAIT_MS, _load

pytestmark = pytest.mark.browser
VIEWS, _ = load_views()


def test_views_list_shows_a_card_with_thumbnail_for_each_view(page):
    page.goto(page.base_url + "/views")
    page.wait_for_selector(".view-card", timeout=WAIT_MS)
    assert page.locator(".view-card").count() == len(VIEWS)
    page.wait_for_function(
        "() => Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)",
        timeout=WAIT_MS,
    )
    alts = page.locator(".view-card img").evaluate_all("imgs => imgs.map(i => i.alt)")
    assert all(alt.startswith("Vorschaukarte: ") for alt in alts)
    assert page.outside_requests == [] and page.failed_requests == []


@pytest.mark.parametrize("slug", sorted(VIEWS))
def test_each_view_page_renders_map_chart_and_fixed_scale(page, slug):
    view = VIEWS[slug]
    page.goto(f"{page.base_url}/views/{slug}?lang=en")
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot').length === 2 && "
        "Array.from(document.querySelectorAll('.js-plotly-plot')).every(g => g._fullData)",
        timeout=WAIT_MS,
    )
    assert page.inner_text("h1") == view.title["en"]
    scale = page.evaluate(
        "() => { const t = document.querySelector('.view-map .js-plotly-plot')"
        f"._fullData[{figures.VALUES}];"
        " return [t.zmin, t.zmax]; }"
    )
    assert scale == list(view.scale)  # fixed, so two views compare
    assert "highest" in page.inner_text(".map-summary")
    assert page.locator(".synthetic-notice").is_visible()
    assert "Synthetic demonstration data" in page.inner_text(".synthetic-notice")
    assert page.page_errors == [] and page.outside_requests == []


def test_open_in_explorer_carries_the_state(page):
    page.goto(page.base_url + "/views/galati-circular?lang=en")
    page.get_by_role("link", name="Open in the explorer").click()
    page.wait_for_url("**/?lang=en&type=circular&country=RO&metric=arrivals&sel=o:RO224")
    _load(page, "/?lang=en&type=circular&country=RO&metric=arrivals&sel=o:RO224")
    assert "linked to Galați" in page.inner_text("#ruhr-map-title")
    assert page.is_checked("input[value=RO]")


def test_unknown_view_is_a_page_not_an_error(page):
    response = page.goto(page.base_url + "/views/no-such-view")
    assert response.status == 404  # for link checkers; people see the page
    page.wait_for_selector("h1", timeout=WAIT_MS)
    assert "gibt es nicht" in page.inner_text("h1")
    assert page.locator("main a[href='/views?lang=de']").count() == 1
    assert page.locator("main a[href='/']").count() == 1  # the explorer


CLIPBOARD = ["clipboard-read", "clipboard-write"]
DRAWN = (
    "() => document.querySelectorAll('.js-plotly-plot').length === 2 && "
    "Array.from(document.querySelectorAll('.js-plotly-plot')).every(g => g._fullLayout)"
)
TEXTS = {
    "de": {"copied": "Link kopiert", "code": "Code kopiert", "badge": "Synthetische"},
    "en": {"copied": "Link copied", "code": "Code copied", "badge": "Synthetic"},
}


@contextlib.contextmanager
def _serving(html: str):
    """A page of another site (another port: another origin) that holds ``html``."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # the standard library calls it so
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sitzung.html"
    finally:
        server.shutdown()
        server.server_close()


def _view_page(browser, live_server, path: str, **options):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, **options)
    page = context.new_page()
    page.page_errors = []
    page.on("pageerror", lambda e: page.page_errors.append(str(e)))
    response = page.goto(live_server + path)
    return page, response


def _copied(page, button: str, status: str, message: str) -> str:
    """Press a copy button, wait for its confirmation; what the clipboard then holds."""
    page.click(button)
    page.wait_for_function(
        f"() => document.querySelector({status!r}).innerText === {message!r}", timeout=WAIT_MS
    )
    return page.evaluate("() => navigator.clipboard.readText()")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_copy_link_and_embed_code_copy_the_views_canonical_addresses(browser, live_server, lang):
    slug = "galati-circular"
    page, _ = _view_page(browser, live_server, f"/views/{slug}?lang={lang}&x=1",
                         permissions=CLIPBOARD)  # fmt: skip
    canonical = f"{live_server}/views/{slug}?lang={lang}"  # without the stray parameter
    page.wait_for_function(
        f"() => document.querySelector('#share-url')?.value === {canonical!r}", timeout=WAIT_MS
    )
    assert _copied(page, "#copy-link", "#copy-status", TEXTS[lang]["copied"]) == canonical
    assert page.get_attribute("#copy-status", "aria-live") == "polite"
    code = page.input_value("#embed-code")
    assert code.startswith(
        f'<iframe src="{canonical}&amp;embed=1" title="{VIEWS[slug].title[lang]}'
    )
    assert page.get_attribute("#embed-code", "readonly") is not None
    assert _copied(page, "#embed-copy", "#embed-status", TEXTS[lang]["code"]) == code
    assert page.get_attribute("#embed-status", "role") == "status"
    assert page.page_errors == []
    page.context.close()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_embed_snippet_shows_the_view_in_a_frame_without_navbar(browser, live_server, lang):
    slug = "swings"
    page, _ = _view_page(browser, live_server, f"/views/{slug}?lang={lang}")
    page.wait_for_function("() => document.querySelector('#embed-code')?.value", timeout=WAIT_MS)
    code = page.input_value("#embed-code")
    src = code.split('src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    response = page.goto(src)
    assert response.status == 200
    page.wait_for_function(DRAWN, timeout=WAIT_MS)
    assert page.inner_text("h1") == VIEWS[slug].title[lang]
    assert page.locator(".navbar").count() == 0 and page.locator(".view-share").count() == 0
    assert TEXTS[lang]["badge"] in page.inner_text(".synthetic-notice")
    text = page.inner_text("main")
    assert VIEWS[slug].source[lang] in text and "GeoBasis-DE" in text
    # pasted into a page of another origin (another local server): the frame draws it
    with _serving(f"<!doctype html><title>Rat</title>{code}") as other:
        page.goto(other)
        frame = page.frame_locator("iframe")
        assert frame.locator("h1").inner_text(timeout=WAIT_MS) == VIEWS[slug].title[lang]
        assert frame.locator(".synthetic-notice").is_visible()
    assert page.page_errors == []
    page.context.close()


def test_a_bad_embed_value_is_a_notice_and_400(browser, live_server):
    page, response = _view_page(browser, live_server, "/views/swings?lang=en&embed=yes")
    assert response.status == 400
    page.wait_for_selector(".address-problem", timeout=WAIT_MS)
    assert "Invalid value 'yes' for 'embed'" in page.inner_text(".address-problem")
    assert page.locator(".navbar").count() == 1  # the usual page, not the embedded one
    assert page.page_errors == []
    page.context.close()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_galati_view_locates_galati_and_swings_maps_what_its_title_says(page, lang):
    page.goto(f"{page.base_url}/views/galati-circular?lang={lang}")
    page.wait_for_function(
        "() => { const i = document.querySelector('.view-locator img');"
        " return i && i.complete && i.naturalWidth > 0; }",
        timeout=WAIT_MS,
    )
    caption = page.inner_text(".view-locator figcaption")
    assert "Galați" in caption and ("blau" if lang == "de" else "blue") in caption
    assert page.get_attribute(".view-locator img", "alt") == caption
    page.goto(f"{page.base_url}/views/swings?lang={lang}")
    page.wait_for_function(DRAWN, timeout=WAIT_MS)
    arrivals = {"de": "Zuzüge", "en": "arrivals"}[lang]
    assert arrivals in page.inner_text("h1")
    # the map's legend and summary name the same measure as the title
    label = {"de": "Schwankung der Zuzüge", "en": "Variation of arrivals"}[lang]
    page.wait_for_function(
        f"() => document.querySelector('#ruhr-map-legend').innerText.includes({label!r})",
        timeout=WAIT_MS,
    )
    assert label in page.inner_text(".map-summary")
    assert page.page_errors == []
