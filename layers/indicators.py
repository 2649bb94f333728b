"""The catalogue's indicators, computed per area for a filter, plus the analysis tables
(languages, prior countries, support needs with a chi-square test, remittance uses, flows).

Everything that rests on respondent microdata goes through ``layers.disclosure`` here,
before it leaves ``layers``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from layers import disclosure, queries, vocab
from layers.catalogue import CATALOGUE
from layers.dataset import Dataset
from layers.disclosure import Policy
from layers.queries import FlowFilter, InvalidParameter, Selection
from layers.survey import CHANNEL_INDEX, channel_slice

SURVEY_FLAG = "survey_suppressed"  # the area's respondents are below the threshold
USE_FLAG = "remittance_use_suppressed"  # the area's remitters are below the threshold


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


@dataclass(frozen=True)
class ChiSquare:
    statistic: float
    dof: int
    p_value: float
    cramers_v: float
    n: int


def chi_square(table: np.ndarray) -> ChiSquare | None:
    """Pearson's chi-square test of independence (no continuity correction) and Cramér's V.
    Rows or columns without observations are dropped; None when fewer than 2×2 remain."""
    table = np.asarray(table, dtype=float)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    if table.shape[0] < 2 or table.shape[1] < 2:
        return None
    n = table.sum()
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    statistic = float(((table - expected) ** 2 / expected).sum())
    dof = (table.shape[0] - 1) * (table.shape[1] - 1)
    cramers_v = float(np.sqrt(statistic / (n * (min(table.shape) - 1))))
    return ChiSquare(statistic, dof, float(stats.chi2.sf(statistic, dof)), cramers_v, int(n))


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


def survey_cells(ds: Dataset, f: FlowFilter, selection: Selection | None, side: str | None):
    """Survey counts and key sums for the filter: [area, channel] for a side, or [channel]
    for the whole selection when ``side`` is None. The year filter does not apply: the
    survey is one wave (2021/22)."""
    types = [vocab.MIGRATION_TYPES.index(t) for t in f.types]
    mask = np.array([r.country in f.countries for r in queries.regions.ORIGIN_REGIONS])

    def reduce(cube: np.ndarray) -> np.ndarray:
        cube = cube[:, :, types, :].sum(axis=2) * mask[None, :, None]  # [muni, origin, channel]
        cube = np.swapaxes(cube, 0, 1)  # [origin, muni, channel] as queries.restrict expects
        if side is None:
            if selection is not None:
                cube = queries.restrict(cube, selection, "none")
            return cube.sum(axis=(0, 1))
        return queries.sum_to_side(queries.restrict(cube, selection, side), side)

    return reduce(ds.survey.counts), reduce(ds.survey.keys)


def _survey_columns(counts: np.ndarray, keys: np.ndarray, policy: Policy) -> dict:
    base = counts[..., CHANNEL_INDEX["respondents"]]
    base_keys = keys[..., CHANNEL_INDEX["respondents"]]
    remitters = counts[..., CHANNEL_INDEX["remitters"]]
    remitter_keys = keys[..., CHANNEL_INDEX["remitters"]]
    hidden = disclosure.suppressed(base, policy)
    columns = {"respondents": disclosure.protected_counts(base, base_keys, policy)}
    for prefix, name in (("lang", "language"), ("prior", "destination")):
        idx = channel_slice(prefix)
        perturbed = disclosure.perturb(counts[..., idx], keys[..., idx], policy)
        for suffix, values in (
            ("richness", richness(counts[..., idx])),  # positive counts stay positive
            ("shannon", shannon(perturbed)),
        ):
            columns[f"{name}_{suffix}"] = np.where(hidden, np.nan, values)
        columns[f"{name}_effective"] = np.exp(columns[f"{name}_shannon"])
    share, _ = disclosure.protected_shares(remitters, remitter_keys, base, base_keys, policy)
    columns["remitting_share"] = share
    idx = channel_slice("use")
    shares, use_hidden = disclosure.protected_shares(
        counts[..., idx], keys[..., idx], remitters, remitter_keys, policy
    )
    for i, use in enumerate(vocab.REMITTANCE_USES):
        columns[f"remittance_use_{use}"] = np.where(hidden, np.nan, shares[..., i])
    idx = channel_slice("need")
    shares, _ = disclosure.protected_shares(
        counts[..., idx], keys[..., idx], base, base_keys, policy
    )
    for i, need in enumerate(vocab.SUPPORT_NEEDS):
        columns[f"need_{need}"] = shares[..., i]
    columns[SURVEY_FLAG] = hidden
    columns[USE_FLAG] = hidden | use_hidden
    return columns


def indicator_table(
    ds: Dataset,
    f: FlowFilter,
    side: str,
    selection: Selection | None = None,
    indicators: tuple[str, ...] | None = None,
    policy: Policy | None = None,
) -> pd.DataFrame:
    """The catalogue's indicators for every area of one side (origin regions outside the
    country filter left out). Survey values are perturbed and suppressed by ``policy``;
    the flag columns say which areas are suppressed."""
    policy = policy or Policy()
    wanted = queries.parse_indicators(indicators)
    table = queries.area_table(ds, f, side, selection)
    rows = queries._row_positions(ds, table, side)
    if any(CATALOGUE[i].group == "variance" for i in wanted):
        for column, values in _variance_columns(ds, f, side, selection, rows).items():
            table[column] = values
    if any(CATALOGUE[i].from_microdata for i in wanted):
        counts, keys = survey_cells(ds, f, selection, side)
        for column, values in _survey_columns(counts[rows], keys[rows], policy).items():
            table[column] = values
    flags = [c for c in (SURVEY_FLAG, USE_FLAG) if c in table.columns]
    base = [c for c in ("name", "country", "population") if c in table.columns]
    return table[base + list(wanted) + flags]


# --- analysis tables -------------------------------------------------------------------------


def category_counts(
    ds: Dataset, f: FlowFilter, selection: Selection | None, prefix: str, policy: Policy
) -> pd.DataFrame:
    """Respondents per language ("lang") or prior destination country ("prior") in the
    selection: perturbed counts; categories under the threshold are only summed up."""
    if prefix not in ("lang", "prior"):
        raise InvalidParameter("prefix", prefix, "lang, prior")
    counts, keys = survey_cells(ds, f, selection, None)
    idx = channel_slice(prefix)
    codes = vocab.LANGUAGES if prefix == "lang" else vocab.PRIOR_COUNTRIES
    table = pd.DataFrame(
        {
            "code": codes,
            "count": disclosure.perturb(counts[idx], keys[idx], policy),
            "suppressed": disclosure.suppressed(counts[idx], policy) & (counts[idx] > 0),
        }
    )
    table.loc[table["suppressed"], "count"] = 0
    table.attrs["respondents"] = int(counts[CHANNEL_INDEX["respondents"]])
    table.attrs["richness"] = int((counts[idx] > 0).sum())
    return table.sort_values(["count", "code"], ascending=[False, True], ignore_index=True)


def support_needs_by_type(
    ds: Dataset, f: FlowFilter, selection: Selection | None, policy: Policy
) -> tuple[pd.DataFrame, ChiSquare | None]:
    """Abbildung 5.1: share of respondents naming each area, per migration type (per cent),
    and a chi-square test of independence on the (perturbed) mention counts."""
    rows, counts_table = {}, []
    idx = channel_slice("need")
    for mtype in f.types:
        counts, keys = survey_cells(
            ds, FlowFilter(f.year_from, f.year_to, (mtype,), f.countries), selection, None
        )
        base, base_keys = counts[CHANNEL_INDEX["respondents"]], keys[CHANNEL_INDEX["respondents"]]
        shares, hidden = disclosure.protected_shares(
            counts[idx], keys[idx], base, base_keys, policy
        )
        respondents = np.nan if hidden else int(disclosure.perturb(base, base_keys, policy))
        rows[mtype] = [*shares, respondents]
        if not hidden:
            counts_table.append(disclosure.perturb(counts[idx], keys[idx], policy))
    frame = pd.DataFrame.from_dict(
        rows, orient="index", columns=[*vocab.SUPPORT_NEEDS, "respondents"]
    )
    test = chi_square(np.array(counts_table)) if len(counts_table) >= 2 else None
    return frame, test


def remittance_uses(
    ds: Dataset, f: FlowFilter, selection: Selection | None, policy: Policy
) -> pd.Series:
    counts, keys = survey_cells(ds, f, selection, None)
    idx = channel_slice("use")
    shares, _ = disclosure.protected_shares(
        counts[idx],
        keys[idx],
        counts[CHANNEL_INDEX["remitters"]],
        keys[CHANNEL_INDEX["remitters"]],
        policy,
    )
    return pd.Series(shares, index=list(vocab.REMITTANCE_USES), name="share")


def national_series(ds: Dataset, indicator: str) -> pd.DataFrame:
    """A World Bank series for RO and BG: year, country, value, vintage, source (real data)."""
    table = ds.country_indicators
    if indicator not in set(table["indicator"]):
        raise InvalidParameter("indicator", indicator, ", ".join(sorted(set(table["indicator"]))))
    rows = table[table["indicator"] == indicator]
    return rows[["year", "country_iso2", "country", "value", "unit", "vintage", "source", "note"]]


def top_flows(
    ds: Dataset, f: FlowFilter, direction: str, top_n: int, min_persons: int
) -> pd.DataFrame:
    """The largest origin→destination pairs for one direction, with the pair's end points."""
    if direction not in vocab.DIRECTIONS:
        raise InvalidParameter("direction", direction, ", ".join(vocab.DIRECTIONS))
    column = "arrivals" if direction == "arrival" else "departures"
    table = queries.flow_table(ds, f)
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
