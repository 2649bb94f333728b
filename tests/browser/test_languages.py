"""Romanian and Bulgarian in the browser (issue 18.3), one page load per language and lean
(the layout checker's de/en cases cover all tabs at three widths): the page names its
language, the switch offers all four, and four tabs at 1440 px and two at 390 px read whole
and in one language (tests/browser/layout_check.js, tests/browser/language.py)."""

from __future__ import annotations

import re

import pytest

from tests.browser.language import WORD, leaks
from tests.browser.test_dashboard import WAIT_MS
from tests.browser.test_layout import COMPARED, NAMES, PAGE_TEXT, _check, _settle

pytestmark = pytest.mark.browser
# Charts, a table, a test, the flow map, and the two tabs whose texts came last.
WIDE = ("series", "compare", "needs", "flows", "services", "scenario")
NARROW = ("series", "compare", "needs", "services")  # needs: redrawn after 1440 → 390 px
# The places as words ("Oer-Erkenschwick": "Oer", "Erkenschwick"): in Bulgarian the data's
# names stay in Latin letters beside the translated texts' Cyrillic.
PLACES = NAMES | frozenset(w for name in NAMES for w in WORD.findall(name))
# The report's numbering in Romanian and Bulgarian ("Tabelul 5.1", "таблица 5.1"): not a
# decimal (language.NUMBERED knows the German and English words and the abbreviations).
NUMBERED = re.compile(r"(?i:tabelul|таблица|фигура)\s*\d+(?:\.\d+)*")
EXPECTED = {
    # (the map's title, the series' legend, the start of the needs chart's title: fit.js wraps it)
    "ro": ("Municipalitățile din Ruhr (53)", "Sosiri", "Nevoi de sprijin"),
    "bg": ("Общини в Рур (53)", "Пристигания", "Нужди от подкрепа"),
}


@pytest.fixture
def screen(browser, live_server):
    """A page at 1440 × 900 that records its script errors (as test_layout's)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.base_url, page.page_errors = live_server, []
    page.on("pageerror", lambda e: page.page_errors.append(str(e)))
    yield page
    context.close()


def _open_tab(page, tab: str) -> None:
    page.locator(f"#analysis-tabs label[for$='_input_{tab}']").click()
    page.wait_for_function(f"() => !document.getElementById('panel-{tab}').hidden",
                           timeout=WAIT_MS)  # fmt: skip
    _settle(page)


def _tabs(page, lang: str, width: int, tabs) -> list[str]:
    found = []
    for tab in tabs:
        _open_tab(page, tab)
        case = f"explorer-{lang}-{width}-{tab}"
        found += _check(page, case)
        text = NUMBERED.sub(" ", page.evaluate(PAGE_TEXT))
        found += [f"{case}: {p}" for p in leaks(text, lang, PLACES)]
    return found


@pytest.mark.parametrize("lang", ["ro", "bg"])
def test_the_explorer_in_romanian_and_bulgarian(screen, lang):
    page = screen
    page.goto(f"{page.base_url}/?lang={lang}&{COMPARED}")
    _settle(page)
    ruhr_title, arrivals, needs = EXPECTED[lang]
    assert page.get_attribute("html", "lang") == lang
    assert page.inner_text("#ruhr-map-title").startswith(ruhr_title)
    switch = page.locator(".language-switch a")
    assert switch.evaluate_all("links => links.map(a => [a.lang, a.innerText])") == [
        ["de", "Deutsch"], ["en", "English"], ["ro", "Română"], ["bg", "Български"]]  # fmt: skip
    assert page.locator(f".language-switch a[lang={lang}]").get_attribute("aria-current") == "page"
    other = page.locator(".language-switch a[lang=en]").get_attribute("href")
    assert "lang=en" in other and "sel=m" in other  # the same view in another language
    found = _tabs(page, lang, 1440, WIDE)
    assert arrivals in page.inner_text("#panel-series") or arrivals in page.evaluate(
        "() => Array.from(document.querySelectorAll('#panel-series .main-svg text'))"
        ".map(t => t.textContent).join(' ')")  # fmt: skip
    assert needs in page.inner_text("#panel-needs") or needs in page.evaluate(
        "() => Array.from(document.querySelectorAll('#panel-needs .main-svg text'))"
        ".map(t => t.textContent).join(' ')")  # fmt: skip
    page.set_viewport_size({"width": 390, "height": 844})
    _settle(page)
    found += _tabs(page, lang, 390, NARROW)
    assert page.page_errors == []
    assert not found, "\n".join(found)
