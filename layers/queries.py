"""Filters and aggregations over a Dataset: plain functions, validated inputs, no UI."""

from __future__ import annotations

import reprlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from layers import regions, vocab
from layers.catalogue import CATALOGUE
from layers.dataset import Dataset

SIDES = ("municipality", "origin")
COUNTRY_CHOICES = ("RO", "BG")


# Characters of a caller's value that a message repeats: enough to recognise a typo, while
# a 20 MB value sent to a callback or the API does not come back whole.
ECHO_LIMIT = 100
_ECHO_REPR = reprlib.Repr()
_ECHO_REPR.maxstring = _ECHO_REPR.maxother = ECHO_LIMIT
_ECHO_REPR.maxlevel = 3  # also stops deep nesting before it costs a full repr


def cut(text: str, limit: int = ECHO_LIMIT) -> str:
    """``text`` shortened to ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def echo(value) -> str:
    """A value received from a caller, as a message may repeat it: its repr, at most
    ECHO_LIMIT characters. Every message that repeats input goes through here."""
    try:
        return cut(_ECHO_REPR.repr(value))
    except ValueError:  # an int beyond Python's digit limit for str()
        return f"<{type(value).__name__}>"


class InvalidParameter(ValueError):
    """A filter value that is not allowed; names the parameter and the allowed values."""

    def __init__(self, name: str, value, allowed: str):
        # The name may come from the caller too (an unknown parameter): cut it as well.
        self.name, self.value, self.allowed = cut(str(name)), value, allowed
        super().__init__(f"Invalid value {echo(value)} for '{self.name}'. Allowed: {allowed}.")


@dataclass(frozen=True)
class FlowFilter:
    year_from: int = vocab.YEARS[0]
    year_to: int = vocab.YEARS[-1]
    types: tuple[str, ...] = vocab.MIGRATION_TYPES
    countries: tuple[str, ...] = COUNTRY_CHOICES

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.year_from, self.year_to + 1))

    @property
    def years_text(self) -> str:
        """The years as a reader writes a span ("2014–2024", en dash); ``describe`` keeps
        the address's hyphen."""
        return self.describe()["years"].replace("-", "–")

    def describe(self) -> dict:
        return {
            "years": f"{self.year_from}"
            if self.year_from == self.year_to
            else f"{self.year_from}-{self.year_to}",
            "migration_types": list(self.types),
            "countries": list(self.countries),
        }


@dataclass(frozen=True)
class Selection:
    """A clicked area: a municipality (by AGS) or an origin region (by NUTS 3 code)."""

    side: str
    code: str


@dataclass(frozen=True)
class Areas:
    """Several areas of one side compared together (a municipality and its peers): linking
    and series add them up."""

    side: str
    codes: tuple[str, ...]


MAX_COMPARED = 5  # areas of one side shown side by side (Wegweiser Kommune compares six)


def codes_of(selection: Selection | Areas) -> tuple[str, ...]:
    return selection.codes if isinstance(selection, Areas) else (selection.code,)


YEARS_ALLOWED = f"a year {vocab.YEARS[0]}–{vocab.YEARS[-1]} or a range like 2015-2020"


def _year(value, name: str) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidParameter(name, value, YEARS_ALLOWED) from None
    if year not in vocab.YEARS:
        raise InvalidParameter(name, value, YEARS_ALLOWED)
    return year


def parse_years(value) -> tuple[int, int]:
    """Accept 2019, "2019", "2015-2020", [2015, 2020] or None (all years)."""
    if value is None or value == "":
        return vocab.YEARS[0], vocab.YEARS[-1]
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise InvalidParameter("years", value, YEARS_ALLOWED)
        start, end = (_year(v, "years") for v in value)
    elif isinstance(value, str) and "-" in value.strip()[1:]:
        start, end = (_year(v, "years") for v in value.split("-", 1))
    elif isinstance(value, (int, str)) and not isinstance(value, bool):
        start = end = _year(value, "year")
    else:
        raise InvalidParameter("years", value, YEARS_ALLOWED)
    if start > end:
        raise InvalidParameter("years", value, "a range whose first year is not after the last")
    return start, end


def parse_types(value) -> tuple[str, ...]:
    allowed = ", ".join(vocab.MIGRATION_TYPES)
    if value is None:
        return vocab.MIGRATION_TYPES
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, (list, tuple)) or not values:
        raise InvalidParameter("type", value, f"one or more of {allowed}")
    for item in values:
        if item not in vocab.MIGRATION_TYPES:
            raise InvalidParameter("type", item, allowed)
    return tuple(t for t in vocab.MIGRATION_TYPES if t in values)


def parse_countries(value) -> tuple[str, ...]:
    allowed = "RO, BG or both"
    if value is None or value == "both":
        return COUNTRY_CHOICES
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, (list, tuple)) or not values:
        raise InvalidParameter("country", value, allowed)
    for item in values:
        if item not in COUNTRY_CHOICES:
            raise InvalidParameter("country", item, allowed)
    return tuple(c for c in COUNTRY_CHOICES if c in values)


def parse_filter(years=None, types=None, countries=None) -> FlowFilter:
    year_from, year_to = parse_years(years)
    return FlowFilter(year_from, year_to, parse_types(types), parse_countries(countries))


def parse_metric(value) -> str:
    if not isinstance(value, str) or value not in CATALOGUE:
        raise InvalidParameter("metric", value, ", ".join(CATALOGUE))
    return value


def parse_indicators(value) -> tuple[str, ...]:
    """A comma-separated string or a list of catalogue ids; None means all of them."""
    if value is None or value == "":
        return tuple(CATALOGUE)
    values = value.split(",") if isinstance(value, str) else value
    if not isinstance(values, (list, tuple)):
        raise InvalidParameter("indicators", value, "catalogue ids separated by commas")
    for item in values:
        if not isinstance(item, str) or item.strip() not in CATALOGUE:
            raise InvalidParameter("indicators", item, ", ".join(CATALOGUE))
    return tuple(dict.fromkeys(item.strip() for item in values))


MUNICIPALITY_CODES = tuple(m.ags for m in regions.MUNICIPALITIES)
ORIGIN_CODES = tuple(r.nuts3 for r in regions.ORIGIN_REGIONS)


def parse_selection(value) -> Selection | None:
    """Accept None or {"side": "municipality"|"origin", "code": "..."}."""
    if value in (None, "", {}):
        return None
    if not isinstance(value, dict):
        raise InvalidParameter("selection", value, "an object with 'side' and 'code'")
    side, code = value.get("side"), value.get("code")
    codes = MUNICIPALITY_CODES if side == "municipality" else ORIGIN_CODES
    if side not in SIDES:
        raise InvalidParameter("selection.side", side, ", ".join(SIDES))
    if code not in codes:
        raise InvalidParameter("selection.code", code, f"a known {side} code")
    return Selection(side, code)


def _origin_mask(countries: tuple[str, ...]) -> np.ndarray:
    return np.array([r.country in countries for r in regions.ORIGIN_REGIONS])


def _year_slice(f: FlowFilter) -> slice:
    """The filter's years (always consecutive) as a slice of the year axis: a view, no copy."""
    return slice(vocab.YEARS.index(f.year_from), vocab.YEARS.index(f.year_to) + 1)


def _type_positions(f: FlowFilter) -> list[int]:
    return [vocab.MIGRATION_TYPES.index(t) for t in f.types]


def filtered_flows_by_year(ds: Dataset, f: FlowFilter) -> np.ndarray:
    """Persons indexed [selected year, origin, municipality, direction]; zero outside the filter."""
    summed = ds.flows[_year_slice(f)][:, :, :, _type_positions(f), :].sum(axis=3)
    return summed * _origin_mask(f.countries)[None, :, None, None]


def filtered_flows(ds: Dataset, f: FlowFilter) -> np.ndarray:
    """Persons indexed [origin, municipality, direction] for the filter; zero outside it."""
    by_type = ds.flows[_year_slice(f)].sum(axis=0)  # years first: the smaller array to copy
    return (
        by_type[:, :, _type_positions(f), :].sum(axis=2) * _origin_mask(f.countries)[:, None, None]
    )


def restrict(cube: np.ndarray, selection: Selection | Areas | None, side: str) -> np.ndarray:
    """Linking: areas on the other map narrow the data to those areas (added up).

    ``cube`` has an origin and a municipality axis at ``ORIGIN_AXIS``/``MUNICIPALITY_AXIS``
    counted from the end (``[..., origin, municipality, last]``)."""
    if selection is None or selection.side == side:
        return cube
    out = np.zeros_like(cube)
    if selection.side == "origin":
        i = [ORIGIN_CODES.index(code) for code in codes_of(selection)]
        out[..., i, :, :] = cube[..., i, :, :]
    else:
        j = [MUNICIPALITY_CODES.index(code) for code in codes_of(selection)]
        out[..., :, j, :] = cube[..., :, j, :]
    return out


def sum_to_side(cube: np.ndarray, side: str) -> np.ndarray:
    """Collapse ``[..., origin, municipality, last]`` to ``[..., area of side, last]``."""
    return cube.sum(axis=-2) if side == "origin" else cube.sum(axis=-3)


def areas_of(ds: Dataset, f: FlowFilter, side: str) -> pd.DataFrame:
    """Name, population (and country) of each area on one side, in the filter's countries."""
    if side == "origin":
        table = ds.origin_regions[["name", "country", "population"]].copy()
        table.index.name = "nuts3"
        return table[_origin_mask(f.countries)]
    table = ds.municipalities[["name", "population"]].copy()
    table.index.name = "ags"
    return table


def area_table(
    ds: Dataset, f: FlowFilter, side: str, selection: Selection | None = None
) -> pd.DataFrame:
    """Arrivals, departures, net, turnover and the per-1,000 variants for each area of one side.

    Origin regions outside the country filter are left out. Per 1,000 is per year:
    the sum over the selected years divided by their number.
    """
    if side not in SIDES:
        raise InvalidParameter("side", side, ", ".join(SIDES))
    areas = areas_of(ds, f, side)
    rows = _row_positions(ds, areas, side)
    columns = _flow_columns(ds, f, side, selection, rows, areas["population"].to_numpy())
    # One frame built from arrays: adding columns one by one costs more than the sums.
    return pd.concat([areas, pd.DataFrame(columns, index=areas.index)], axis=1)


FLOW_COLUMNS = (
    "arrivals", "departures", "net", "turnover",
    "arrivals_per_1000", "departures_per_1000", "net_per_1000",
)  # fmt: skip


def _flow_columns(ds, f, side, selection, rows, population) -> dict[str, np.ndarray]:
    """``FLOW_COLUMNS`` for the areas at positions ``rows`` (with their ``population``)."""
    by_area = sum_to_side(restrict(filtered_flows(ds, f), selection, side), side)[rows]
    counts = {"arrivals": by_area[:, 0], "departures": by_area[:, 1]}
    counts["net"] = counts["arrivals"] - counts["departures"]
    counts["turnover"] = counts["arrivals"] + counts["departures"]
    years = len(f.years)
    rates = {
        f"{column}_per_1000": counts[column] / years / population * 1000
        for column in ("arrivals", "departures", "net")
    }
    return counts | rates


def area_values(
    ds: Dataset, f: FlowFilter, side: str, column: str, selection: Selection | None = None
) -> np.ndarray:
    """One of ``FLOW_COLUMNS`` of ``area_table`` for every area of the side, in code order,
    NaN for origin regions outside the country filter: what a map needs, without the
    table (a filter change redraws two maps; the table's frames cost more than the sums)."""
    return area_columns(ds, f, side, (column,), selection)[column]


def area_columns(
    ds: Dataset, f: FlowFilter, side: str, names: tuple[str, ...], selection=None
) -> dict[str, np.ndarray]:
    """``area_values`` of several ``FLOW_COLUMNS`` at the cost of one (a rate and its base)."""
    if side not in SIDES:
        raise InvalidParameter("side", side, ", ".join(SIDES))
    for column in names:
        if column not in FLOW_COLUMNS:
            raise InvalidParameter("column", column, ", ".join(FLOW_COLUMNS))
    areas = ds.origin_regions if side == "origin" else ds.municipalities
    rows = _row_positions(ds, areas, side)
    columns = _flow_columns(ds, f, side, selection, rows, areas["population"].to_numpy())
    found = {}
    for column in names:
        values = found[column] = np.full(len(rows), np.nan)
        values[rows] = columns[column]  # table order → code order
        if side == "origin":
            values[~_origin_mask(f.countries)] = np.nan
    return found


def _row_positions(ds: Dataset, table: pd.DataFrame, side: str) -> np.ndarray:
    codes = ORIGIN_CODES if side == "origin" else MUNICIPALITY_CODES
    lookup = {code: i for i, code in enumerate(codes)}
    return np.array([lookup[c] for c in table.index], dtype=int)


def yearly_series(
    ds: Dataset, f: FlowFilter, selection: Selection | Areas | None = None
) -> pd.DataFrame:
    """Arrivals, departures and net per year (all years; types, countries, selection applied;
    several areas are added up)."""
    origins = _origin_mask(f.countries)
    municipalities = np.ones(len(MUNICIPALITY_CODES), dtype=bool)
    if selection is not None and selection.side == "origin":
        origins &= np.isin(np.array(ORIGIN_CODES), codes_of(selection))
    elif selection is not None:
        municipalities = np.isin(np.array(MUNICIPALITY_CODES), codes_of(selection))
    flows = ds.flows[:, origins][:, :, municipalities]  # [year, origin, municipality, type, dir]
    per_year = flows[:, :, :, _type_positions(f), :].sum(axis=(1, 2, 3))
    frame = pd.DataFrame(
        {"year": vocab.YEARS, "arrivals": per_year[:, 0], "departures": per_year[:, 1]}
    )
    frame["net"] = frame["arrivals"] - frame["departures"]
    return frame


def flow_table(
    ds: Dataset, f: FlowFilter, selection: Selection | Areas | None = None
) -> pd.DataFrame:
    """Origin→destination pairs with arrivals, departures and net; pairs with no moves
    dropped. With ``selection``, only the pairs with an end in it (the selection's flows)."""
    flows = filtered_flows(ds, f)
    if selection is not None:  # narrowed as the other map would be, to the selection itself
        flows = restrict(flows, selection, SIDES[1 - SIDES.index(selection.side)])
    origin_idx, muni_idx = np.nonzero(flows.sum(axis=2))
    table = pd.DataFrame(
        {
            "origin_nuts3": np.array(ORIGIN_CODES)[origin_idx],
            "origin_name": ds.origin_regions["name"].to_numpy()[origin_idx],
            "destination_ags": np.array(MUNICIPALITY_CODES)[muni_idx],
            "destination_name": ds.municipalities["name"].to_numpy()[muni_idx],
            "arrivals": flows[origin_idx, muni_idx, 0],
            "departures": flows[origin_idx, muni_idx, 1],
        }
    )
    table["net"] = table["arrivals"] - table["departures"]
    return table
