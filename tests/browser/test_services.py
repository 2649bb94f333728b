"""A planner opens the KOSMATI services tab for Dortmund (issue 18.1), in German and in
English: the illustrative label, the map of dimensions covered with its table, and the needs
against offers with the gaps marked; then the curated view Dortmund / Oer-Erkenschwick.
One page load per language for the tab and one for the view."""

from __future__ import annotations

import pytest

from tests.browser.test_dashboard import WAIT_MS
from tests.browser.test_layout import _check, _language, _settle

pytestmark = pytest.mark.browser
DORTMUND, OER = "05913000", "05562028"
VIEW = "kosmati-dortmund-oer-erkenschwick"
TEXTS = {
    "de": {"badge": "Illustrativ", "gaps": "Lücken in Dortmund (2): Bildung der Kinder "
           "(Rückkehrorientierte) und Bildung der Kinder (Zirkulär Migrierende).",
           "gap": "Lücke", "view": "(illustratives Angebotsverzeichnis)"},
    "en": {"badge": "Illustrative", "gaps": "Gaps in Dortmund (2): Children's education "
           "(Return-oriented) and Children's education (Circular).",
           "gap": "Gap", "view": "(illustrative inventory)"},
}  # fmt: skip
MAP_Z = """() => { const t = document.querySelector('#services-map .js-plotly-plot')._fullData
  .find(d => d.name === 'services');
  return Object.fromEntries(t.locations.map((c, i) => [c, t.z[i]])); }"""


@pytest.mark.parametrize("lang", ["de", "en"])
def test_services_tab_and_view(page, lang):
    texts = TEXTS[lang]
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{page.base_url}/?lang={lang}&tab=services&sel=m:{DORTMUND}")
    page.wait_for_selector("#services-needs-grid", timeout=WAIT_MS)
    _settle(page)
    assert page.inner_text("#services-label").startswith(texts["badge"])
    z = page.evaluate(MAP_Z)
    assert len(z) == 53 and z[DORTMUND] == 4 and z[OER] == 2  # the demo inventory's numbers
    assert page.get_attribute(f"#services-grid tr[data-code='{DORTMUND}']", "aria-current")
    assert page.inner_text(f"#services-grid tr[data-code='{OER}'] th") == "Oer-Erkenschwick"
    assert page.inner_text("#services-needs p.fw-semibold") == texts["gaps"]
    gaps = page.locator("#services-needs-grid td[data-status='gap']")
    assert gaps.count() == 2 and texts["gap"] in gaps.first.inner_text()
    withheld = page.locator("#services-needs-grid td[data-status='withheld']").count()
    assert withheld == 2  # "other" of return-oriented and transnational: fewer than 5
    found = _check(page, f"services-{lang}-1440") + _language(page, f"services-{lang}", lang)
    page.set_viewport_size({"width": 390, "height": 844})
    _settle(page)
    found += _check(page, f"services-{lang}-390")
    assert not found, "\n".join(found)

    page.goto(f"{page.base_url}/views/{VIEW}?lang={lang}")
    page.wait_for_selector(".view-chart .js-plotly-plot", timeout=WAIT_MS)
    _settle(page)
    assert page.inner_text("h1").endswith(texts["view"])
    traces = page.evaluate("() => document.querySelector('.view-chart .js-plotly-plot')"
                           "._fullData.map(d => [d.name, Array.from(d.y)])")  # fmt: skip
    assert traces == [["Dortmund", [2, 3, 4, 2]], ["Oer-Erkenschwick", [0, 1, 1, 0]]]
    assert not page.page_errors and not page.outside_requests
