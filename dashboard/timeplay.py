"""Time (issue 15): the play button beside the year slider and the small multiples, the Ruhr
map once per year with one colour scale for all years.

Playing happens in the browser (assets/timeplay.js): a ``dcc.Interval``, disabled unless
playing, steps the single-year slider; the maps and the series follow the slider as after
any filter change, so nothing is requested while not playing. The small multiples are
server-drawn SVGs (layers/thumbnail.py) at ``/small-multiples/<year>.svg``, whose addresses
the browser writes from the filters and the selection (``sel``, outlined as on the main
map), without a callback request."""

from __future__ import annotations

import math
from html import escape

import flask
from dash import Dash, Output, dcc, html

from dashboard import ids
from dashboard.cache import ResultCache
from dashboard.figures import HIGHLIGHT_COLOUR  # the selection's outline on the main map
from dashboard.i18n import format_number, normalise_language, t
from dashboard.view import MUNICIPALITY_NAMES
from dashboard.wiring import in_browser
from layers import boundaries, indicators, params, queries, small_bases, thumbnail, vocab
from layers.catalogue import CATALOGUE
from layers.dataset import Dataset
from layers.disclosure import Policy
from layers.palette import YLGNBU
from layers.queries import FlowFilter, InvalidParameter

SMALL_SIZE = (160, 100)
YLGNBU_MID = "#{:02x}{:02x}{:02x}".format(*YLGNBU[len(YLGNBU) // 2])  # under the hatch swatch
PLAY_MS = 1200
MAX_OUTLINED = queries.MAX_COMPARED  # the selection and those compared with it


def play_controls(lang: str) -> html.Div:
    """A real button (keyboard: Tab, Enter/Space), the year read out while playing."""
    texts = {"play": t("play_years", lang), "pause": t("pause_years", lang),
             "year": t("playing_year", lang)}  # fmt: skip
    return html.Div([
        html.Button(texts["play"], id=ids.YEAR_PLAY, type="button", n_clicks=0,
                    className="btn btn-outline-primary btn-sm"),
        html.Span(id=ids.YEAR_PLAY_STATUS, role="status", className="small ms-2",
                  **{"aria-live": "polite"}),
        dcc.Interval(id=ids.YEAR_TICK, interval=PLAY_MS, disabled=True),
        dcc.Store(id=ids.YEAR_PLAY_TEXTS, data=texts),
    ], className="mt-1 no-print")  # fmt: skip


def small_multiples(lang: str) -> html.Details:
    """Closed at first: its images are fetched only once it is opened (assets/timeplay.js)."""
    labels = {i.id: f"{i.text('label', lang)} ({i.text('unit', lang)})" for i in CATALOGUE.values()}
    texts = {"labels": labels, "alt": t("small_multiple_alt", lang),
             "outlined": t("small_multiple_outlined", lang), "names": MUNICIPALITY_NAMES,
             "legend": t("small_multiples_legend", lang)}  # fmt: skip
    width, height = SMALL_SIZE
    figures = [
        html.Figure([
            html.Img(id=ids.small_multiple(year), width=width, height=height,
                     style={"width": "100%", "height": "auto"}),
            html.Figcaption(str(year), className="small text-center"),
        ], className="m-0")
        for year in vocab.YEARS
    ]  # fmt: skip
    grid = {"display": "grid", "gap": "0.25rem",
            "gridTemplateColumns": "repeat(auto-fill, minmax(110px, 1fr))"}  # fmt: skip
    return html.Details([
        html.Summary(t("small_multiples", lang), id=ids.SMALL_MULTIPLES_SUMMARY, n_clicks=0,
                     className="h6"),
        html.Div(figures, id=ids.SMALL_MULTIPLES, style=grid),
        html.Img(id=ids.small_multiple("legend"), width=320, height=46,
                 style={"maxWidth": "100%", "height": "auto"}),
        dcc.Store(id=ids.SMALL_MULTIPLES_TEXTS, data=texts),
    ], id=ids.SMALL_MULTIPLES_DETAILS, className="mt-3")  # fmt: skip


def register(app: Dash) -> None:
    year = [Output(ids.YEAR_MODE, "value", allow_duplicate=True),
            Output(ids.YEAR_SINGLE, "value", allow_duplicate=True)]  # fmt: skip
    in_browser(app, "ruhrTime.play",
               [(ids.YEAR_TICK, "disabled"), *year, (ids.YEAR_PLAY, "children"),
                (ids.YEAR_PLAY_STATUS, "children")],
               [(ids.YEAR_PLAY, "n_clicks"), (ids.YEAR_TICK, "n_intervals")],
               [(ids.YEAR_TICK, "disabled"), (ids.YEAR_SINGLE, "value"), (ids.YEAR_SINGLE, "min"),
                (ids.YEAR_SINGLE, "max"), (ids.YEAR_MODE, "value"), (ids.YEAR_PLAY_TEXTS, "data")],
               prevent_initial_call=True)  # fmt: skip
    images = [ids.small_multiple(year) for year in (*vocab.YEARS, "legend")]
    in_browser(app, "ruhrTime.smallMultiples",
               [(image, prop) for image in images for prop in ("src", "alt")],
               [(ids.METRIC, "value"), (ids.TYPES, "value"), (ids.COUNTRY, "value"),
                (ids.SELECTION_STORE, "data"), (ids.COMPARE_STORE, "data"),  # outlined
                (ids.SMALL_MULTIPLES_SUMMARY, "n_clicks")],  # html.Details does not report "open"
               [(ids.LANG_STORE, "data"), (ids.SMALL_MULTIPLES_TEXTS, "data")])  # fmt: skip


# ---------------------------------------------------------------- the SVGs


def _number(value) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def small_multiple_values(ds: Dataset, metric: str, types: tuple[str, ...], country: str,
                          policy: Policy) -> dict:  # fmt: skip
    """Every municipality's value in each year, one scale (lowest, highest) for all, and
    each year's municipalities whose value is below the metric's minimum base (hatched)."""
    countries = queries.parse_countries(country)
    by_year: dict[str, dict[str, float | None]] = {}
    low_base: dict[str, list[str]] = {}
    flag = small_bases.flag_column(metric)
    for year in vocab.YEARS:
        by_year[str(year)], low_base[str(year)] = {c: None for c in queries.MUNICIPALITY_CODES}, []
        if not types:
            continue
        f = FlowFilter(year, year, types, countries)
        table = indicators.indicator_table(ds, f, "municipality", None, (metric,), policy)
        by_year[str(year)] = {code: _number(v) for code, v in table[metric].items()}
        if flag in table:
            low_base[str(year)] = [str(code) for code in table.index[table[flag].astype(bool)]]
    shown = [v for values in by_year.values() for v in values.values() if v is not None]
    low, high = (min(shown), max(shown)) if shown else (0.0, 1.0)
    return {"values": by_year, "scale": [low, high if high > low else low + 1],
            "low_base": low_base}  # fmt: skip


def parse_outlined(value: str) -> tuple[str, ...]:
    """``sel=m:05513000,m:05112000``: the municipalities to outline, as the explorer's
    ``sel`` names them (up to MAX_COMPARED, each once); "" for none."""
    if value == "":
        return ()
    tokens = value.split(",")
    areas = [params.parse_selection_token(token) for token in tokens]
    codes = tuple(a.code for a in areas if a is not None and a.side == "municipality")
    if len(codes) != len(tokens) or len(set(codes)) < len(codes) or len(codes) > MAX_OUTLINED:
        allowed = f"up to {MAX_OUTLINED} different Ruhr municipalities, m:<AGS>,m:<AGS>"
        raise InvalidParameter("sel", value, allowed)
    return codes


def _request_args() -> tuple[str, tuple[str, ...], str, str, tuple[str, ...]]:
    """Metric, types, country, language and the outlined municipalities; 400 if bad."""
    args = flask.request.args
    try:
        metric = queries.parse_metric(args.get("metric", "arrivals"))
        parsed = params.parse_filter_params({k: args[k] for k in ("type", "country") if k in args})
        outlined = parse_outlined(args.get("sel", ""))
    except InvalidParameter as exc:
        flask.abort(400, str(exc))
    lang = normalise_language(args.get("lang"))
    types, country = parsed.get("types", vocab.MIGRATION_TYPES), parsed.get("country", "both")
    return metric, types, country, lang, outlined


def small_multiple_title(metric: str, year: int, outlined: tuple[str, ...], lang: str) -> str:
    """What the map shows, and whom it outlines (as the alt text in assets/timeplay.js)."""
    label = CATALOGUE[metric].text("label", lang)
    title = t("small_multiple_alt", lang).format(metric=label, year=year)
    if not outlined:
        return title
    names = ", ".join(MUNICIPALITY_NAMES[code] for code in outlined)
    return f"{title}, {t('small_multiple_outlined', lang).format(names=names)}"


def register_routes(server: flask.Flask, ds: Dataset, policy: Policy, cache: ResultCache) -> None:
    areas = boundaries.load_municipalities()

    def computed(metric, types, country):
        return cache.get_or_compute(
            "small_multiples", (metric, types, country),
            lambda: small_multiple_values(ds, metric, types, country, policy),
        )  # fmt: skip

    def svg_response(svg: str) -> flask.Response:
        response = flask.Response(svg, mimetype="image/svg+xml")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    @server.get("/small-multiples/<int:year>.svg")
    def small_multiple(year: int):
        if year not in vocab.YEARS:
            flask.abort(404)
        metric, types, country, lang, outlined = _request_args()
        found = computed(metric, types, country)
        title = small_multiple_title(metric, year, outlined, lang)
        return svg_response(thumbnail.area_svg(
            areas, "ags", found["values"][str(year)], tuple(found["scale"]), outlined, title,
            *SMALL_SIZE, outline=HIGHLIGHT_COLOUR, hatched=tuple(found["low_base"][str(year)]),
        ))  # fmt: skip

    @server.get("/small-multiples/legend.svg")
    def small_multiples_legend():
        metric, types, country, lang, _ = _request_args()  # the outlines: validated only
        found = computed(metric, types, country)
        low, high = found["scale"]
        indicator = CATALOGUE[metric]
        legend = (format_number(low, indicator.decimals, lang),
                  format_number(high, indicator.decimals, lang),
                  f"{indicator.text('label', lang)} ({indicator.text('unit', lang)})")  # fmt: skip
        hatched = any(found["low_base"].values())
        return svg_response(legend_svg(*legend, hatched=t("small_multiples_hatched", lang)
                                       if hatched else ""))  # fmt: skip


def legend_svg(low: str, high: str, label: str, width: int = 320, hatched: str = "") -> str:
    """The common colour ramp: its ends below it, the indicator and unit on a line of its
    own; with ``hatched`` a hatched swatch saying what hatching means."""
    low, high, label = (escape(x) for x in (low, high, label))
    stops = "".join(
        f'<stop offset="{i / (len(YLGNBU) - 1):.3f}" stop-color="#{r:02x}{g:02x}{b:02x}"/>'
        for i, (r, g, b) in enumerate(YLGNBU)
    )
    height = 64 if hatched else 46
    swatch = (
        f'{thumbnail.HATCH}<rect x="4" y="50" width="16" height="10" fill="{YLGNBU_MID}"/>'
        '<rect x="4" y="50" width="16" height="10" fill="url(#hatch)" stroke="#999"/>'
        f'<text x="26" y="59">{escape(hatched)}</text>'
    ) if hatched else ""  # fmt: skip
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}"><defs><linearGradient id="ramp">{stops}'
        "</linearGradient></defs>"
        f'<rect x="4" y="2" width="{width - 8}" height="10" fill="url(#ramp)" stroke="#999"/>'
        '<g font-family="sans-serif" font-size="11" fill="#333">'
        f'<text x="4" y="26">{low}</text>'
        f'<text x="{width - 4}" y="26" text-anchor="end">{high}</text>'
        f'<text x="{width / 2:.0f}" y="42" text-anchor="middle">{label}</text>{swatch}</g></svg>'
    )
