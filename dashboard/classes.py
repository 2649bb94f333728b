"""Classed colours and the maps' legends (issue 16.4; the classes: ``layers.classify``).

A rate or share is drawn as a choropleth in a few classes, one colour each, the colour scale
stepped at the class breaks so that plotly colours every area by its class while its value
stays the area's ``z`` (hover, clicks, tables). A count of persons is not a choropleth: it is
a circle per area, its area proportional to the count (``figures``), over neutral areas. The
legend is data (``legend``), drawn under each map by assets/legend.js."""

from __future__ import annotations

import math
from dataclasses import dataclass

import plotly.colors

from dashboard.i18n import format_number, t, tn
from layers import classify, palette
from layers.catalogue import CATALOGUE

SEQUENTIAL = palette.colorscale(palette.YLGNBU)
DIVERGING = plotly.colors.make_colorscale(plotly.colors.diverging.PuOr)
COUNT_FILL = "#ffffff"  # the areas under the circles
COUNT_LINE = "#9e9e9e"
CIRCLE_COLOURS = ("#0072B2", "#D55E00")  # Okabe–Ito blue (≥ 0) and vermillion (< 0)
BIGGEST_CIRCLE_PX = 36  # the largest area's circle; a quarter of its count: half as wide
STEP = 1e-6  # a break's colour step sits this much (of the range) under the break


@dataclass(frozen=True)
class MapScale:
    """How a map colours one metric's values: its classes and their colours, or, for a
    count, circles (``largest``: the count the biggest circle stands for)."""

    classes: classify.Classes
    colours: tuple[str, ...]
    zmin: float
    zmax: float
    largest: float = 0.0

    @property
    def colorscale(self) -> list[list]:
        """Plotly's stepped scale: one colour from each class's lower bound to the next."""
        if not self.colours:
            return [[0, COUNT_FILL], [1, COUNT_FILL]]
        span = (self.zmax - self.zmin) or 1.0
        steps = [min(max((b - self.zmin) / span - STEP, 0.0), 1.0)
                 for b in self.classes.lower[1:]]  # fmt: skip
        scale = [[0.0, self.colours[0]]]
        for step, before, after in zip(steps, self.colours, self.colours[1:], strict=False):
            scale += [[round(step, 9), before], [round(step, 9), after]]
        return [*scale, [1.0, self.colours[-1]]]


def is_count(metric: str) -> bool:
    """A count of persons: drawn as proportional circles, not as a choropleth."""
    indicator = CATALOGUE[metric]
    return indicator.kind == "count" and indicator.unit["en"] == "persons"


def _colours(classes: classify.Classes, diverging: bool) -> tuple[str, ...]:
    """Light to dark along YlGnBu; for a diverging metric orange (< 0) and purple (> 0),
    darker the further a class lies from zero."""
    k = classes.k
    if not diverging:
        positions = [0.08 + 0.92 * i / max(k - 1, 1) for i in range(k)]
        return _hex(plotly.colors.sample_colorscale(SEQUENTIAL, positions))
    ends = [classes.upper(i) if classes.upper(i) is not None else classes.lower[i]
            for i in range(k)]  # fmt: skip
    reach = max(abs(classes.lower[0]), *(abs(e) for e in ends)) or 1.0
    positions = []
    for low, high in zip(classes.lower, ends, strict=True):
        middle = (low + high) / 2
        side = 1 if middle > 0 or (middle == 0 and high > 0) else -1
        positions.append(0.5 + side * (0.12 + 0.38 * min(abs(middle) / reach, 1.0)))
    return _hex(plotly.colors.sample_colorscale(DIVERGING, positions))


def _hex(colours) -> tuple[str, ...]:
    """ "#f3fbbf" for plotly's "rgb(243, 251, 191)": sent with every filter change, shorter."""
    return tuple("#{:02x}{:02x}{:02x}".format(*(round(float(c)) for c in
                                                plotly.colors.unlabel_rgb(colour)))
                 for colour in colours)  # fmt: skip


def map_scale(values, metric: str, scheme: str, k: int, fixed=None) -> MapScale:
    """The scale of ``values`` (None: not shown) for ``metric`` by ``scheme`` in up to
    ``k`` classes; ``fixed`` (start, end): a fixed scale of ``k`` equal classes, the top
    one open (a curated view's)."""
    indicator = CATALOGUE[metric]
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if indicator.categorical:  # a colour per category (figures)
        return MapScale(classify.Classes(), (), 0.0, 1.0)
    if is_count(metric):  # a fixed scale: its end is the biggest circle's count
        largest = fixed[1] if fixed else max(map(abs, finite), default=0.0)
        return MapScale(classify.Classes(), (), *(fixed or (0.0, 1.0)), largest)
    if fixed is not None:
        classes = classify.fixed(values, *fixed, k)
        zmin, zmax = min([fixed[0], *finite]), max([fixed[1], *finite])
        return MapScale(classes, _colours(classes, indicator.diverging), zmin, zmax)
    else:
        classes = classify.classify(values, scheme, k, indicator.decimals, indicator.diverging)
    if not classes.k:
        return MapScale(classes, (), 0.0, 1.0)
    zmin = min(classes.lower[0], *finite)
    zmax = max(classes.top if classes.top is not None else classes.lower[-1], *finite)
    return MapScale(classes, _colours(classes, indicator.diverging), zmin, zmax)


def class_label(classes: classify.Classes, i: int, decimals: int, lang: str) -> str:
    """A class's range in the page's language: "2,5 bis unter 4,0", the top one "4,0 bis
    9,3" or, open, "≥ 4,0"; one value alone: "3"."""
    low, high = classes.lower[i], classes.upper(i)
    lower = format_number(low, decimals, lang)
    if high is None:
        return f"≥ {lower}"
    key = "class_range_to" if i == classes.k - 1 else "class_range_under"
    if i == classes.k - 1 and math.isclose(low, high):
        return lower
    return t(key, lang).format(low=lower, high=format_number(high, decimals, lang))


def legend(scale: MapScale, metric: str, lang: str, notes: list | None = None,
           scheme: str = "") -> dict:  # fmt: skip
    """What the legend under a map shows (assets/legend.js draws it): a title; one row per
    class (colour, range, number of areas) or the size circles of a count (diameter in
    pixels, count); then ``notes`` (see :func:`notes`). ``scheme``: how the classes were
    made, named with their number (on paper the picker is not there to say it)."""
    indicator = CATALOGUE[metric]
    found: dict = {"title": f"{indicator.text('label', lang)} ({indicator.text('unit', lang)})"}
    if indicator.categorical:
        pass  # its colour bar names the categories
    elif is_count(metric):
        found["title"] += f" · {t('legend_circles', lang)}"
        found["circles"] = [
            [classify.diameters([v], scale.largest, BIGGEST_CIRCLE_PX)[0],
             format_number(v, 0, lang)]
            for v in classify.nice_references(scale.largest)
        ]  # fmt: skip
        if indicator.diverging:
            found["signs"] = [[CIRCLE_COLOURS[0], t("legend_positive", lang)],
                              [CIRCLE_COLOURS[1], t("legend_negative", lang)]]  # fmt: skip
    else:
        found["rows"] = [
            [colour, class_label(scale.classes, i, indicator.decimals, lang), count]
            for i, (colour, count) in enumerate(zip(scale.colours, scale.classes.counts,
                                                    strict=True))
        ]  # fmt: skip
        found["count_note"] = t("legend_count_note", lang)
        if scheme and scale.classes.k:
            made = tn("legend_scheme", scale.classes.k, lang, scheme=t(f"scheme_{scheme}", lang))
            found["count_note"] = f"{made} · {found['count_note']}"
    found["notes"] = notes or []
    return found


def notes(values, low_base_codes, suppressed_codes, threshold: int, lang: str) -> list:
    """The legend's notes a map needs, each [key, text]: its areas below the minimum base
    (hatched over their colour), suppressed ones (hatched grey) and those not in the
    filter (plain grey): only those the map shows."""
    found = []
    if low_base_codes:
        found.append(["low_base", t("legend_low_base", lang)])
    if suppressed_codes:
        found.append(["suppressed", t("legend_suppressed", lang).format(n=threshold)])
    if sum(v is None for v in values) > len(suppressed_codes):
        found.append(["not_in_filter", t("legend_not_in_filter", lang)])
    return found


def fills_and_legend(values: dict, metric: str, fixed, lang: str):
    """For a map the server draws (a curated view on paper, its thumbnail): each area's
    colour on the view's fixed scale in five equal classes, as its live map
    (``dashboard/pages.view_map``), and the legend (title, [(colour, "range (n)")]);
    (None, None) for a count or a categorical metric: their ramp as before."""
    numbers = [None if v is None or not math.isfinite(v) else v for v in values.values()]
    scale = map_scale(numbers, metric, "equal_interval", 5, fixed=fixed)
    if not scale.colours:
        return None, None
    fills = {code: scale.colours[scale.classes.index(v)]
             for code, v in zip(values, numbers, strict=True) if v is not None}  # fmt: skip
    shown = legend(scale, metric, lang)
    rows = [(colour, f"{text} ({count})") for colour, text, count in shown["rows"]]
    return fills, (shown["title"], rows)
