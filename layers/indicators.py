"""The catalogue's indicators, computed per area for a filter, plus the analysis tables
(languages, prior countries, support needs with per-area tests, remittance uses, flows).

Everything that rests on respondent microdata is read from the protected publication
(``layers.publication``): no function here sees a respondent or an unpublished cell."""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
import pandas as pd

from layers import association, intervals, publication, queries, small_bases, vocab
from layers.catalogue import CATALOGUE
from layers.dataset import Dataset
from layers.disclosure import Policy
from layers.queries import FlowFilter, InvalidParameter, Selection
from layers.survey import CHANNEL_INDEX, CHANNELS

SURVEY_FLAG = "survey_suppressed"  # the area's respondent count is not published
USE_FLAG = "remittance_use_suppressed"  # the area's remitter count is not published (or 0)


# --- plain formulas (tested on hand-made numbers) -------------------------------------------


def sample_sd(yearly: np.ndarray) -> np.ndarray:
    """Sample standard deviation (n−1) over axis 0; NaN with fewer than two years."""
    yearly = np.asarray(yearly, dtype=float)
    if yearly.shape[0] < 2:
        return np.full(yearly.shape[1:], np.nan)
    return yearly.std(axis=0, ddof=1)


def coefficient_of_variation(yearly: np.ndarray) -> np.ndarray:
    mean = np.asarray(yearly, dtype=float).mean(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(mean > 0, sample_sd(yearly) / mean, np.nan)


def churn(arrivals: np.ndarray, departures: np.ndarray) -> np.ndarray:
    """min/max of arrivals and departures: 1 when as many leave as come; NaN without moves."""
    low = np.minimum(arrivals, departures).astype(float)
    high = np.maximum(arrivals, departures).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(high > 0, low / high, np.nan)


def richness(counts: np.ndarray) -> np.ndarray:
    return (np.asarray(counts) > 0).sum(axis=-1).astype(float)


def shannon(counts: np.ndarray) -> np.ndarray:
    """H = −Σ pᵢ ln pᵢ over the last axis (natural log; 0 ln 0 = 0); NaN for an empty row."""
    counts = np.asarray(counts, dtype=float)
    total = counts.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = counts / total
        terms = np.where(p > 0, -p * np.log(p), 0.0)
    return np.where(total[..., 0] > 0, terms.sum(axis=-1), np.nan)


# --- per-area indicators ---------------------------------------------------------------------


def _variance_columns(ds: Dataset, f: FlowFilter, side: str, selection, rows) -> dict:
    yearly = queries.sum_to_side(
        queries.restrict(queries.filtered_flows_by_year(ds, f), selection, side), side
    )[:, rows, :]  # [year, area, direction]
    arrivals, departures = yearly[:, :, 0], yearly[:, :, 1]
    return {
        "arrivals_sd": sample_sd(arrivals),
        "arrivals_cv": coefficient_of_variation(arrivals),
        "departures_cv": coefficient_of_variation(departures),
        "net_sd": sample_sd(arrivals - departures),
        "churn": churn(arrivals.sum(axis=0), departures.sum(axis=0)),
    }


def _publication(ds: Dataset, policy: Policy) -> publication.Publication:
    return publication.for_dataset(ds, policy)


def _channels(prefix: str) -> list[int]:
    return [CHANNEL_INDEX[c] for c in CHANNELS if c.startswith(f"{prefix}:")]


# Each survey share's numerator (its denominator is the catalogue's ``base``).
SHARE_CHANNELS = MappingProxyType(
    {
        "remitting_share": "remitters",
        **{f"remittance_use_{use}": f"use:{use}" for use in vocab.REMITTANCE_USES},
        **{f"need_{need}": f"need:{need}" for need in vocab.SUPPORT_NEEDS},
    }
)


def _survey_columns(values: np.ndarray) -> dict:
    """Indicators from published counts ``values`` [..., channel] (NaN = not published); a
    share comes with its 95 % interval and base n (``layers.intervals``)."""
    base = values[..., CHANNEL_INDEX["respondents"]]
    remitters = values[..., CHANNEL_INDEX["remitters"]]
    hidden = np.isnan(base)
    columns = {"respondents": base}
    for prefix, name in (("lang", "language"), ("prior", "destination")):
        counts = values[..., _channels(prefix)]
        shown = np.where(np.isnan(counts), 0.0, counts)  # only categories of ≥ k respondents
        columns[f"{name}_richness"] = np.where(hidden, np.nan, richness(shown))
        columns[f"{name}_shannon"] = np.where(hidden, np.nan, shannon(shown))
        columns[f"{name}_effective"] = np.exp(columns[f"{name}_shannon"])
    for share, channel in SHARE_CHANNELS.items():  # each with its interval and base n
        of = values[..., CHANNEL_INDEX[CATALOGUE[share].base]]
        columns.update(intervals.share_columns(share, values[..., CHANNEL_INDEX[channel]], of))
    columns[SURVEY_FLAG] = hidden
    columns[USE_FLAG] = hidden | np.isnan(remitters) | (remitters == 0)
    return columns


def survey_by_area(ds: Dataset, f: FlowFilter, side: str, selection, policy: Policy):
    """Published survey counts [area in code order, channel] for one side of the map."""
    crossed = selection is not None and selection.side != side
    return publication.by_area(
        _publication(ds, policy), list(range(len(CHANNELS))), side, f.types, f.countries,
        crossed,
    )  # fmt: skip


def survey_for_selection(ds: Dataset, f: FlowFilter, selection, policy: Policy) -> np.ndarray:
    """Published survey counts [channel] of the selected area, or of the whole Ruhr."""
    side = index = None
    if selection is not None:
        side = selection.side
        codes = queries.ORIGIN_CODES if side == "origin" else queries.MUNICIPALITY_CODES
        index = codes.index(selection.code)
    return publication.for_area(
        _publication(ds, policy), list(range(len(CHANNELS))), side, index, f.types, f.countries
    )


def indicator_table(
    ds: Dataset,
    f: FlowFilter,
    side: str,
    selection: Selection | None = None,
    indicators: tuple[str, ...] | None = None,
    policy: Policy | None = None,
) -> pd.DataFrame:
    """The catalogue's indicators for every area of one side (origin regions outside the
    country filter left out). Survey values come from the publication protected with ``policy``;
    each share is followed by ``<share>_ci_low``, ``<share>_ci_high`` (its 95 % Wilson
    interval, per cent) and ``<share>_n`` (its base, persons); every indicator with a
    minimum base by ``<id>_low_base`` (``layers.small_bases``: True where the value rests on
    fewer persons); the flag columns at the end say which areas are suppressed."""
    policy = policy or Policy()
    wanted = queries.parse_indicators(indicators)
    table = queries.area_table(ds, f, side, selection)
    rows = queries._row_positions(ds, table, side)
    if any(CATALOGUE[i].group == "variance" for i in wanted):
        for column, values in _variance_columns(ds, f, side, selection, rows).items():
            table[column] = values
    if "typology" in wanted:
        table = _typology_columns(ds, f, side, table)
    if any(CATALOGUE[i].from_microdata for i in wanted):
        values = survey_by_area(ds, f, side, selection, policy)[rows]
        for column, column_values in _survey_columns(values).items():
            table[column] = column_values
    for column, low in small_bases.flag_columns(table, wanted, len(f.years)).items():
        table[column] = low
    flags = [c for c in (SURVEY_FLAG, USE_FLAG) if c in table.columns]
    base = [c for c in ("name", "country", "population") if c in table.columns]
    return table[base + [c for i in wanted for c in _columns_of(i)] + flags]


def _columns_of(indicator: str) -> tuple[str, ...]:
    """An indicator's columns in ``indicator_table``: a share with its interval and base n,
    the typology with its type's name, and last the flag of a value below its minimum base."""
    if indicator == "typology":
        return indicator, TYPOLOGY_NAME
    columns = (indicator,)
    if CATALOGUE[indicator].has_interval:
        columns += intervals.columns_of(indicator)
    if CATALOGUE[indicator].flagged:
        columns += (small_bases.flag_column(indicator),)
    return columns


TYPOLOGY_NAME = "typology_name"


def _typology_columns(ds: Dataset, f: FlowFilter, side: str, table, lang: str = "en"):
    """The municipality's type number (1..k) and name; empty for origin regions (not
    typed, see ``layers.typology``)."""
    from layers import typology  # it builds on this module's formulas

    if side == "origin":
        return table.assign(typology=pd.array([pd.NA] * len(table), dtype="Int64"),
                            typology_name=pd.Series([None] * len(table), index=table.index,
                                                    dtype=object))  # fmt: skip
    types = typology.typology(ds, f)
    labels = pd.Series(types.labels, index=list(queries.MUNICIPALITY_CODES)).reindex(table.index)
    return table.assign(
        typology=labels.astype("Int64"),
        typology_name=[types.name(int(n), lang) for n in labels],
    )


# --- analysis tables -------------------------------------------------------------------------


def category_counts(
    ds: Dataset, f: FlowFilter, selection: Selection | None, prefix: str, policy: Policy
) -> pd.DataFrame:
    """Respondents per language ("lang") or prior destination country ("prior") in the
    selection, as published: categories not published are flagged, with no count."""
    if prefix not in ("lang", "prior"):
        raise InvalidParameter("prefix", prefix, "lang, prior")
    values = survey_for_selection(ds, f, selection, policy)
    counts = values[_channels(prefix)]
    codes = vocab.LANGUAGES if prefix == "lang" else vocab.PRIOR_COUNTRIES
    table = pd.DataFrame({"code": codes, "count": counts, "suppressed": np.isnan(counts)})
    table.attrs["respondents"] = values[CHANNEL_INDEX["respondents"]]
    table.attrs["richness"] = int((np.nan_to_num(counts) > 0).sum())
    return table.sort_values(["count", "code"], ascending=[False, True], ignore_index=True)


def _needs_counts(ds, f: FlowFilter, types, selection, policy) -> tuple[np.ndarray, float]:
    """Published persons naming each life area and respondents, for the filter's years and
    countries and the migration types ``types`` (NaN where not published)."""
    one = FlowFilter(f.year_from, f.year_to, tuple(types), f.countries)
    values = survey_for_selection(ds, one, selection, policy)
    return values[[CHANNEL_INDEX[f"need:{n}"] for n in vocab.SUPPORT_NEEDS]], values[
        CHANNEL_INDEX["respondents"]
    ]


NEEDS_COLUMNS = (
    *vocab.SUPPORT_NEEDS,
    "respondents",
    *(f"{area}{suffix}" for area in vocab.SUPPORT_NEEDS for suffix in intervals.SUFFIXES[:2]),
)


def _needs_row(counts: np.ndarray, respondents: float) -> list[float]:
    """One type's row of ``support_needs_by_type`` in the order of ``NEEDS_COLUMNS``."""
    low, high = intervals.wilson(counts, respondents)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = 100.0 * counts / respondents
    bounds = np.column_stack([100.0 * low, 100.0 * high]).ravel()  # low, high per area
    return [*shares, respondents, *bounds]


def support_needs_by_type(
    ds: Dataset, f: FlowFilter, selection: Selection | None, policy: Policy
) -> tuple[pd.DataFrame, association.AreaTests | None]:
    """Abbildung 5.1: share of respondents naming each area, per migration type (per cent,
    with its 95 % interval in ``<area>_ci_low``/``<area>_ci_high``; base n: ``respondents``),
    and per life area a chi-square test of persons naming it or not × type, Holm-adjusted
    (``association.per_area_tests``). With one type ticked, that type is compared with all
    other respondents of the selection (2 × 2 per area): a test needs two groups."""
    rows, named, base = {}, [], []
    for mtype in f.types:
        counts, respondents = _needs_counts(ds, f, (mtype,), selection, policy)
        rows[mtype] = _needs_row(counts, respondents)
        named.append(counts)
        base.append(respondents)
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=NEEDS_COLUMNS)
    groups, rest = list(f.types), None
    if len(f.types) == 1:
        # "All respondents but this type" is a published cell or a difference of two.
        others = tuple(t for t in vocab.MIGRATION_TYPES if t not in f.types)
        counts, respondents = _needs_counts(ds, f, others, selection, policy)
        named.append(counts)
        base.append(respondents)
        groups, rest = [*groups, "others"], f.types[0]
    tests = association.per_area_tests(
        vocab.SUPPORT_NEEDS, np.array(named).T, np.array(base), groups, versus_rest=rest
    )
    return frame, tests


USES = (*vocab.REMITTANCE_USES, "not_stated")


def use_shares(counts: np.ndarray, remitters: float, with_intervals: bool = False) -> pd.Series:
    """Per cent of the remitters per main use (``counts`` in the order of ``USES``, NaN where
    not published). The question is single-choice, so the uses add up to the remitters: the
    published shares and ``attrs["not_published"]`` (the remitters in suppressed cells) make
    100 %. ``attrs["remitters"]`` is the denominator (NaN when not published), the base n of
    each share; ``with_intervals`` adds ``attrs["ci_low"]``/``["ci_high"]``, each use's 95 %
    Wilson interval in per cent (tuples in the order of ``USES``, NaN where withheld)."""
    counts = np.asarray(counts, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = 100.0 * counts / remitters
        hidden = 100.0 * (remitters - np.nansum(counts)) / remitters
    series = pd.Series(shares, index=list(USES), name="share")
    series.attrs["remitters"] = remitters
    series.attrs["not_published"] = float(hidden) if remitters > 0 else np.nan
    if with_intervals:
        low, high = intervals.wilson(counts, remitters)
        series.attrs["ci_low"] = tuple(float(v) for v in 100.0 * low)
        series.attrs["ci_high"] = tuple(float(v) for v in 100.0 * high)
    return series


def remittance_uses(
    ds: Dataset, f: FlowFilter, selection: Selection | None, policy: Policy
) -> pd.Series:
    """Main use of remittances in the selection, per cent of its remitters, with each use's
    95 % interval (``use_shares``)."""
    values = survey_for_selection(ds, f, selection, policy)
    counts = values[[CHANNEL_INDEX[f"use:{u}"] for u in USES]]
    return use_shares(counts, values[CHANNEL_INDEX["remitters"]], with_intervals=True)


def national_series(ds: Dataset, indicator: str) -> pd.DataFrame:
    """A World Bank series for RO and BG: year, country, value, vintage, source (real data)."""
    table = ds.country_indicators
    if indicator not in set(table["indicator"]):
        raise InvalidParameter("indicator", indicator, ", ".join(sorted(set(table["indicator"]))))
    rows = table[table["indicator"] == indicator]
    return rows[["year", "country_iso2", "country", "value", "unit", "vintage", "source", "note"]]


def top_flows(
    ds: Dataset,
    f: FlowFilter,
    direction: str,
    top_n: int,
    min_persons: int,
    selection: Selection | queries.Areas | None = None,
) -> pd.DataFrame:
    """The largest origin→destination pairs for one direction, with the pair's end points;
    with ``selection`` (one area or several of one side) only the flows into or out of it."""
    if direction not in vocab.DIRECTIONS:
        raise InvalidParameter("direction", direction, ", ".join(vocab.DIRECTIONS))
    column = "arrivals" if direction == "arrival" else "departures"
    table = queries.flow_table(ds, f, selection)
    table = table.assign(persons=table[column])
    table = table[table["persons"] >= max(1, min_persons)]
    table = table.sort_values(
        ["persons", "origin_nuts3", "destination_ags"], ascending=[False, True, True]
    ).head(top_n)
    points = ds.area_points
    table["origin_lon"] = points.loc[table["origin_nuts3"], "lon"].to_numpy()
    table["origin_lat"] = points.loc[table["origin_nuts3"], "lat"].to_numpy()
    table["destination_lon"] = points.loc[table["destination_ags"], "lon"].to_numpy()
    table["destination_lat"] = points.loc[table["destination_ags"], "lat"].to_numpy()
    return table.reset_index(drop=True)


def flow_end_totals(flows: pd.DataFrame, side: str) -> pd.DataFrame:
    """Each end point on one side of ``flows`` (a :func:`top_flows` table): its code, name
    and centroid, the persons of the flows that start or end there and how many flows they
    are; largest first (then by code)."""
    prefix, code = (
        ("origin", "origin_nuts3") if side == "origin" else ("destination", "destination_ags")
    )
    ends = flows.groupby(code, sort=False).agg(
        name=(f"{prefix}_name", "first"),
        lon=(f"{prefix}_lon", "first"),
        lat=(f"{prefix}_lat", "first"),
        persons=("persons", "sum"),
        flows=("persons", "size"),
    )
    ends = ends.rename_axis("code").reset_index()
    return ends.sort_values(["persons", "code"], ascending=[False, True], ignore_index=True)
