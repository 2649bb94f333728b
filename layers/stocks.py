"""Real register stocks of Romanian and Bulgarian nationals (GENESIS 12521-0041) beside the
modelled net migration of the same units.

The table comes per Kreis and kreisfreie Stadt (``layers.importers.genesis`` stores it as
``foreign_nationals.csv``): the 11 kreisfreie Städte are municipalities of the map, the 4
Kreise stay Kreise. A Kreis value is never spread onto its towns; its modelled net migration
is the sum of its municipalities' modelled flows. Values the table withholds (markers ``.``,
``x``, ``/``, ``...``) are missing, not 0 (``-`` is 0, as the importer stores it). Without an
import there are no stock metrics (:func:`available` is False): nothing is invented.

Comparison: with two or more reference dates, the change of the stock from the first to the
last date beside the modelled net migration of the calendar years between them (dates on
31 Dec Y1 and 31 Dec Y2: the years Y1+1 to Y2); with one date, the stock beside the modelled
net migration of all modelled years up to its year (cumulated since 2014)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from layers import l10n, queries, regions, vocab
from layers.catalogue import STOCK_METRICS, UNITS
from layers.queries import FlowFilter, InvalidParameter

KREIS, CITY = "kreis", "gemeinde"  # the levels the importer stores
COLUMNS = ("name", "level", "population", "value", "marker", "first", "last", "change",
           "net", "difference")  # fmt: skip
SOURCE = l10n.text("stocks.source", {"de": "Destatis, GENESIS {table}, Stand {date}",
                                     "en": "Destatis, GENESIS {table}, Stand {date}"})  # fmt: skip


@dataclass(frozen=True)
class StockMetric:
    """One declaration of ``catalogue.toml`` ([stock_metrics])."""

    id: str
    label: dict
    unit: dict
    formula: dict
    citizenships: tuple[str, ...]
    per_1000: bool = False

    @property
    def countries(self) -> tuple[str, ...]:
        """The origin countries of the modelled flows it is compared with."""
        return self.citizenships

    @property
    def decimals(self) -> int:
        return 2 if self.per_1000 else 0

    def name(self, lang: str) -> str:
        """The label without its unit ("RO+BG nationals", not "… per 1,000 inhabitants")."""
        label, unit = self.label[lang], self.unit[lang]
        return label.removesuffix(unit).strip() if label.endswith(unit) else label

    def title(self, lang: str, date: str) -> str:
        """The label with unit and date, the date as the page writes it (the dashboard
        formats it in the page's locale): Romanian nationals (persons, 31 Dec 2022)."""
        return f"{self.name(lang)} ({self.unit[lang]}, {date})"


def _metrics() -> dict[str, StockMetric]:
    found = {}
    for key, entry in STOCK_METRICS.items():
        unit = entry["unit"]
        found[key] = StockMetric(key, entry["label"], UNITS[unit] if isinstance(unit, str)
                                 else unit, entry["formula"], tuple(entry["citizenships"]),
                                 bool(entry.get("per_1000")))  # fmt: skip
    return found


METRICS: dict[str, StockMetric] = _metrics()
DEFAULT = "stock_ro_bg"


def parse_metric(value) -> StockMetric:
    if isinstance(value, str) and value in METRICS:
        return METRICS[value]
    raise InvalidParameter("stock", value, ", ".join(METRICS))


def german_date(date: str) -> str:
    """2022-12-31 → 31.12.2022 (the form GENESIS gives its reference dates in: its citation,
    ``Comparison.source``, keeps it in every language)."""
    year, month, day = date.split("-") if len(date) == 10 else (date, "", "")
    return f"{day}.{month}.{year}" if day else year


def available(stocks: pd.DataFrame | None) -> bool:
    return stocks is not None and len(stocks) > 0


def units(municipalities: pd.DataFrame) -> pd.DataFrame:
    """The 15 units of the table: the 11 kreisfreie Städte (8-digit AGS, level gemeinde) and
    the 4 Kreise (5 digits, level kreis), with their inhabitants (a Kreis: its municipalities
    summed; ``municipalities`` indexed by AGS with a ``population`` column) and members."""
    rows = []
    for prefix in regions.KREISFREIE_STAEDTE:
        ags = f"{prefix}000"
        rows.append((ags, regions.municipality_by_ags()[ags].name, CITY, (ags,)))
    for prefix, name in regions.KREISE.items():
        members = tuple(m.ags for m in regions.MUNICIPALITIES if m.kreis_ags == prefix)
        rows.append((prefix, name, KREIS, members))
    table = pd.DataFrame(rows, columns=["code", "name", "level", "members"]).set_index("code")
    population = municipalities["population"].astype(float)
    table["population"] = [float(population.loc[list(m)].sum()) for m in table["members"]]
    return table


def unit_of(ags: str) -> str:
    """The unit of the table a municipality is in: a kreisfreie Stadt itself, else its Kreis."""
    return ags if ags[:5] in regions.KREISFREIE_STAEDTE else ags[:5]


def dates(stocks: pd.DataFrame) -> list[str]:
    return sorted(set(stocks["date"]))


def values_on(stocks: pd.DataFrame, metric: StockMetric, date: str, index) -> pd.DataFrame:
    """Persons of the metric's citizenships on ``date`` per unit (``index``): ``value`` (NaN
    if any citizenship is missing or not in the table) and ``marker`` (the markers met)."""
    rows = stocks[(stocks["date"] == date) & stocks["citizenship"].isin(metric.citizenships)]
    out = pd.DataFrame(index=index, data={"value": np.nan, "marker": ""})
    for code in index:
        mine = rows[rows["ags_or_kreis"] == code]
        found = set(mine["citizenship"])
        complete = found >= set(metric.citizenships) and mine["persons"].notna().all()
        out.loc[code, "value"] = float(mine["persons"].sum()) if complete else np.nan
        out.loc[code, "marker"] = " ".join(m for m in mine["marker"] if m)
    return out


def modelled_net(ds, metric: StockMetric, years: tuple[int, int] | None, units_table) -> np.ndarray:
    """Modelled net migration (all migration types, the metric's countries) of each unit
    over ``years`` (inclusive), a Kreis its municipalities' summed; NaN without years."""
    if years is None:
        return np.full(len(units_table), np.nan)
    f = FlowFilter(years[0], years[1], vocab.MIGRATION_TYPES, metric.countries)
    net = queries.area_columns(ds, f, "municipality", ("net",))["net"]
    by_ags = dict(zip(queries.MUNICIPALITY_CODES, net, strict=True))
    return np.array([sum(by_ags[a] for a in members) for members in units_table["members"]])


def compared_years(first: str, last: str) -> tuple[int, int] | None:
    """The modelled calendar years a change from ``first`` to ``last`` covers (one date: all
    modelled years up to it), clipped to the modelled years; None if none is modelled."""
    start = int(first[:4]) + 1 if first != last else vocab.YEARS[0]
    end = min(int(last[:4]), vocab.YEARS[-1])
    start = max(start, vocab.YEARS[0])
    return (start, end) if start <= end else None


@dataclass(frozen=True)
class Comparison:
    """The stock metric per unit on the last date beside the modelled net migration."""

    metric: StockMetric
    table: pd.DataFrame  # indexed by unit code, COLUMNS
    first: str  # reference dates (ISO)
    last: str
    years: tuple[int, int] | None  # the modelled years the net covers
    tables: tuple[str, ...]  # GENESIS table codes, e.g. 12521-0041

    @property
    def changes(self) -> bool:
        """Two dates: the change of the stock is compared, not its level."""
        return self.first != self.last

    def source(self, lang: str) -> str:
        """The register side's source: Destatis, GENESIS 12521-0041, Stand 31.12.2022."""
        return SOURCE[lang].format(table=", ".join(self.tables), date=german_date(self.last))


def comparison(ds, stocks: pd.DataFrame, metric_id: str = DEFAULT) -> Comparison:
    """The stock metric on the last imported date per unit, its change since the first date,
    and the modelled net migration of the same units over the years between
    (:func:`compared_years`). ``difference`` = change − modelled net (with one date: stock −
    cumulated modelled net)."""
    metric = parse_metric(metric_id)
    table = units(ds.municipalities)
    first, last = dates(stocks)[0], dates(stocks)[-1]
    raw = metric if not metric.per_1000 else StockMetric("", {}, {}, {}, metric.citizenships)
    start, end = (
        values_on(stocks, raw, first, table.index),
        values_on(stocks, raw, last, table.index),
    )
    scale = 1000.0 / table["population"] if metric.per_1000 else 1.0
    table["value"] = end["value"] * scale
    table["marker"] = end["marker"]
    table["first"], table["last"] = start["value"], end["value"]
    table["change"] = (end["value"] - start["value"]) if first != last else np.nan
    years = compared_years(first, last)
    table["net"] = modelled_net(ds, metric, years, table)
    base = table["change"] if first != last else table["last"]
    table["difference"] = base - table["net"]
    codes = tuple(sorted(set(stocks["table"]) - {""})) or ("12521",)
    return Comparison(metric, table[list(COLUMNS)], first, last, years, codes)


MODELLED_SOURCE = "synthetic demonstration data (modelled by layers/demo.py, not measured)"


def export_table(result: Comparison) -> pd.DataFrame:
    """The comparison as a researcher's table: one row per unit with codes, level, the stock
    measure and its marker, both dates' stocks (persons), the change, the modelled net of
    ``modelled_years`` and the origin of each side (the register real, the model synthetic).
    Missing values stay empty, never 0."""
    table = result.table
    years = "" if result.years is None else "-".join(dict.fromkeys(map(str, result.years)))
    return pd.DataFrame({
        "code": table.index, "name": table["name"], "level": table["level"],
        "measure": result.metric.id, "unit": result.metric.unit["en"],
        "value": table["value"].round(4), "marker": table["marker"],
        "first_date": result.first, "last_date": result.last,
        "stock_first": table["first"], "stock_last": table["last"], "change": table["change"],
        "modelled_net": table["net"], "modelled_years": years,
        "difference": table["difference"], "population": table["population"],
        "register_source": result.source("en"), "register_synthetic": False,
        "modelled_source": MODELLED_SOURCE, "modelled_synthetic": True,
    }).reset_index(drop=True)  # fmt: skip
