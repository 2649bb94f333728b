"""One language at a time (issue 17.2): a link's bad values explained in the page's
language, lists in the order a reader expects, dates as the reader writes them and the
data's own dates, numbers on the axes without SI suffixes."""

import datetime as dt

import pytest

from dashboard import address, charts, controls, pages
from dashboard.i18n import collated
from layers import views


def test_a_bad_link_is_explained_in_german_on_a_german_page():
    shown = address.from_query("?year=2031&type=tourist&metric=happiness&sel=x&tab=a&colour=red")
    text = "\n".join(shown.notices)
    assert "Ungültiger Wert '2031' für 'year'. Erlaubt: ein Jahr 2014–2024" in text
    assert "Unbekannter Parameter 'colour' (Wert 'red')" in text
    for english in ("Invalid", "Allowed", "arrivals", "the parameters", " or "):
        assert english not in text, english
    english = address.from_query("?lang=en&year=2031").notices
    assert "Invalid value '2031' for 'year'. Allowed: a year 2014–2024" in " ".join(english)


def test_area_lists_are_in_alphabetical_order_as_a_reader_expects():
    names = [o["label"] for o in controls.area_options("de") if o["value"].startswith("m:")]
    assert names.index("Bönen") < names.index("Bottrop") < names.index("Breckerfeld")
    regions = [o["label"] for o in controls.area_options("de") if o["value"].startswith("o:")]
    assert regions.index("Brăila (RO)") < regions.index("Brașov (RO)")  # code points: ă after s
    assert collated(["Zwickau", "Ärzte", "Affe", "Bönen", "Bottrop"]) == [
        "Affe", "Ärzte", "Bönen", "Bottrop", "Zwickau"]  # fmt: skip


@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_view_gives_the_datas_dates_not_todays(demo_dataset, lang):
    found = views.load_views()[0]
    today = {dt.date.today().strftime(f) for f in ("%d.%m.%Y", "%Y-%m-%d")}
    for view in found.values():
        line = pages.data_as_of(demo_dataset, view, lang)
        assert line and not any(day in line for day in today), (view.slug, line)
    remittances = pages.data_as_of(demo_dataset, found["remittances"], lang)
    assert ("Weltbank-Stand 01.07.2025" if lang == "de" else "World Bank release 1 Jul 2025") in (
        remittances)  # fmt: skip
    swings = pages.data_as_of(demo_dataset, found["swings"], lang)
    assert ("31.12.2022" if lang == "de" else "31 Dec 2022") in swings
    assert ("synthetisch" if lang == "de" else "synthetic") in swings


def test_chart_axes_write_whole_numbers_not_si_suffixes():
    figure = charts._chart_layout(charts.go.Figure(), "x", "de")
    assert figure.layout.yaxis.exponentformat == "none"
    assert figure.layout.xaxis.exponentformat == "none"
    assert not figure.layout.xaxis.separatethousands  # the years: 2014, not 2.014


def test_a_views_printed_map_has_the_classes_of_its_live_map(demo_dataset):
    import re

    from dashboard import classes
    from layers.disclosure import Policy
    from layers.indicators import indicator_table

    view = views.load_views()[0]["swings"]  # CV of arrivals on a fixed scale 0 … 1
    svg = pages.view_svg(demo_dataset, view, "de", Policy(), large=True)
    table = indicator_table(demo_dataset, view.filter, view.side, view.selection,
                            (view.metric,), Policy())  # fmt: skip
    values = [float(v) for v in table[view.metric]]
    scale = classes.map_scale(values, view.metric, "equal_interval", 5, fixed=view.scale)
    fills = re.findall(r'<path d="[^"]+" fill="([^"]+)" stroke="#ffffff"', svg)
    for colour, count in zip(scale.colours, scale.classes.counts, strict=True):
        assert fills.count(colour) == count  # each class's areas in its colour
    assert "≥ 0,80" in svg  # the open top class, as on screen
    small = table[f"{view.metric}_low_base"].astype(bool).sum()
    assert small and svg.count('class="low-base"') == small  # hatched, as on screen
    assert "Schwankung der Zuzüge (VK)" in svg
