"""The attacker of the disclosure tests: everything the public functions publish about one
survey channel, as linear equations over the unknown base cells, and what they pin down.

The attacker knows the method and the meaning of every filter: a published number for
(area, migration types, countries) is the sum of the base cells (area, type, country) it
covers. Unknowns: X[municipality, type, country] and Y[region, type], ≥ 0, with the link
Σ_municipalities X[·, t, c] = Σ_regions of c Y[·, t] (both are the Ruhr's cell). Any two such
margins admit a full municipality × region table, so nothing is lost by not modelling the
pairs — provided pairs are never published, which the harvest checks.

Written independently of ``layers.disclosure`` (scipy's ``linprog``/``milp``, not its solver
and not its cell layout)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy import optimize, sparse

from layers import indicators, queries, regions, vocab
from layers.disclosure import Policy
from layers.queries import Selection
from layers.survey import CHANNEL_INDEX

N_MUNI, N_ORIGIN, N_TYPES = len(regions.MUNICIPALITIES), len(regions.ORIGIN_REGIONS), 4
COUNTRY = np.array([r.country for r in regions.ORIGIN_REGIONS])
TYPE_SETS = [
    combo
    for n in range(1, N_TYPES + 1)
    for combo in itertools.combinations(vocab.MIGRATION_TYPES, n)
]
COUNTRY_SETS = [("RO",), ("BG",), ("RO", "BG")]
FILTERS = [queries.parse_filter(types=list(t), countries=list(c))
           for t in TYPE_SETS for c in COUNTRY_SETS]  # fmt: skip


@dataclass(frozen=True)
class Fact:
    """A published number: the sum of the base cells of ``area`` (municipality index, region
    index, or None for the whole Ruhr) over ``types`` and ``countries``."""

    side: str  # "municipality" | "origin" | "ruhr"
    area: int | None
    types: tuple[str, ...]
    countries: tuple[str, ...]
    value: float

    def row(self, n_vars: int) -> np.ndarray:
        out = np.zeros(n_vars)
        t = [vocab.MIGRATION_TYPES.index(x) for x in self.types]
        c = [("RO", "BG").index(x) for x in self.countries]
        if self.side == "origin":
            for ti in t:
                out[N_MUNI * N_TYPES * 2 + self.area * N_TYPES + ti] = 1
            return out
        areas = range(N_MUNI) if self.side == "ruhr" else [self.area]
        for a, ti, ci in itertools.product(areas, t, c):
            out[(a * N_TYPES + ti) * 2 + ci] = 1
        return out


N_VARS = N_MUNI * N_TYPES * 2 + N_ORIGIN * N_TYPES


def _counts_from(values, base):
    """A share in per cent times its published base gives the count back (whole numbers)."""
    with np.errstate(invalid="ignore"):
        return np.round(np.asarray(values, dtype=float) * np.asarray(base, dtype=float) / 100.0)


def harvest(ds, channels: list[str], policy: Policy) -> dict[str, list[Fact]]:
    """Every number about each of ``channels`` that the public functions give for every
    filter, both map sides, every selected area and no selection."""
    facts: dict[str, list[Fact]] = {c: [] for c in channels}
    wanted = tuple(dict.fromkeys(i for c in [*channels, "remitters"] for i in _indicators_for(c)))
    for f in FILTERS:
        remitters = {}
        for side in ("municipality", "origin"):
            table = indicators.indicator_table(ds, f, side, None, wanted, policy)
            remitters.update(zip(table.index, _channel_values(table, "remitters"), strict=True))
            codes = queries.ORIGIN_CODES if side == "origin" else queries.MUNICIPALITY_CODES
            positions = [codes.index(code) for code in table.index]
            for channel in channels:
                for area, value in zip(positions, _channel_values(table, channel), strict=True):
                    if not np.isnan(value):
                        facts[channel].append(Fact(side, area, f.types, f.countries, value))
        for selection in [None, *_selections()]:
            side = "ruhr" if selection is None else selection.side
            area = None if selection is None else _index(selection)
            panel = _panel(ds, f, selection, policy, remitters)
            for channel in channels:
                value = panel.get(channel, np.nan)
                if not np.isnan(value):
                    facts[channel].append(Fact(side, area, f.types, f.countries, value))
    return facts


def pairs_published(ds, policy: Policy) -> int:
    """Survey numbers for pairs of areas (one side's map with an area of the other selected)."""
    f = queries.parse_filter()
    found = 0
    for selection in _selections():
        other = "origin" if selection.side == "municipality" else "municipality"
        table = indicators.indicator_table(ds, f, other, selection, ("respondents",), policy)
        found += int(table["respondents"].notna().sum())
    return found


def _selections():
    return [Selection("municipality", c) for c in queries.MUNICIPALITY_CODES] + [
        Selection("origin", c) for c in queries.ORIGIN_CODES
    ]


def _index(selection: Selection) -> int:
    codes = queries.ORIGIN_CODES if selection.side == "origin" else queries.MUNICIPALITY_CODES
    return codes.index(selection.code)


def _indicators_for(channel: str) -> tuple[str, ...]:
    if channel.startswith("need:"):
        return ("respondents", f"need_{channel[5:]}")
    if channel == "remitters":
        return ("respondents", "remitting_share")
    if channel.startswith("use:") and channel != "use:not_stated":
        return ("respondents", "remitting_share", f"remittance_use_{channel[4:]}")
    return ("respondents",)


def _channel_values(table, channel: str) -> np.ndarray:
    if channel == "respondents":
        return table["respondents"].to_numpy(dtype=float)
    if channel.startswith("need:"):
        return _counts_from(table[f"need_{channel[5:]}"], table["respondents"])
    remitters = _counts_from(table["remitting_share"], table["respondents"])
    if channel == "remitters":
        return remitters
    if channel.startswith("use:") and channel != "use:not_stated":
        return _counts_from(table[f"remittance_use_{channel[4:]}"], remitters)
    return np.full(len(table), np.nan)


def _panel(ds, f, selection, policy: Policy, remitters: dict) -> dict[str, float]:
    """Channel counts shown in the analysis panels of a selection (or of the whole Ruhr)."""
    out: dict[str, float] = {}
    for prefix in ("lang", "prior"):
        table = indicators.category_counts(ds, f, selection, prefix, policy)
        out["respondents"] = float(table.attrs["respondents"])
        out.update({f"{prefix}:{c}": float(n) for c, n in zip(table["code"], table["count"],
                                                               strict=True)})  # fmt: skip
    if selection is not None:
        base = remitters.get(selection.code, np.nan)  # regions outside the filter: none
        uses = indicators.remittance_uses(ds, f, selection, policy)
        out.update({f"use:{u}": float(_counts_from(v, base)) for u, v in uses.items()})
    if len(f.types) == 1:
        row = indicators.support_needs_by_type(ds, f, selection, policy)[0].iloc[0]
        out.update({f"need:{n}": float(_counts_from(row[n], row["respondents"]))
                    for n in vocab.SUPPORT_NEEDS})  # fmt: skip
    return out


@dataclass(frozen=True)
class System:
    a_eq: sparse.csr_matrix
    b_eq: np.ndarray


def equations(facts: list[Fact]) -> System:
    rows = {}
    for fact in facts:
        row = fact.row(N_VARS)
        rows.setdefault(row.tobytes(), (row, fact.value))
    link = []
    for t, c in itertools.product(range(N_TYPES), range(2)):
        row = np.zeros(N_VARS)
        for a in range(N_MUNI):
            row[(a * N_TYPES + t) * 2 + c] = 1
        for o in np.flatnonzero(("RO", "BG")[c] == COUNTRY):
            row[N_MUNI * N_TYPES * 2 + o * N_TYPES + t] = -1
        link.append((row, 0.0))
    pairs = [*rows.values(), *link]
    return System(sparse.csr_matrix(np.array([r for r, _ in pairs])),
                  np.array([v for _, v in pairs]))  # fmt: skip


def interval(system: System, target: np.ndarray, integer: bool = False) -> tuple[float, float]:
    """Smallest and largest value of ``target · x`` over everything consistent with the facts."""
    out = []
    for sign in (1.0, -1.0):
        if integer:
            result = optimize.milp(
                sign * target,
                constraints=optimize.LinearConstraint(system.a_eq, system.b_eq, system.b_eq),
                integrality=np.ones(N_VARS), bounds=optimize.Bounds(0, np.inf),
                options={"time_limit": 20},
            )  # fmt: skip
        else:
            result = optimize.linprog(sign * target, A_eq=system.a_eq, b_eq=system.b_eq,
                                      bounds=(0, None), method="highs")  # fmt: skip
        if result.status == 3:  # unbounded
            out.append(np.inf)
            continue
        assert result.success, result.message
        out.append(sign * result.fun)
    return out[0], out[1]


def true_cells(ds_respondents, channel: str):
    """Ground truth, used only to score the attack: X and Y of the channel, flattened."""
    from layers.survey import build_survey_cube

    cube = build_survey_cube(ds_respondents)[..., CHANNEL_INDEX[channel]]
    ro = COUNTRY == "RO"
    x = np.stack([cube[:, ro].sum(axis=1), cube[:, ~ro].sum(axis=1)], axis=-1)  # [m, t, c]
    y = cube.sum(axis=0)  # [o, t]
    return np.concatenate([x.reshape(-1), y.reshape(-1)]).astype(float)


def targets(facts_published: set, true: np.ndarray):
    """Every cell of the published tables (area × one type or all × one country or both)
    that was not published: the cells the attacker goes after, with their true values."""
    out = []
    for side, area in [("municipality", a) for a in range(N_MUNI)] + [
        ("origin", o) for o in range(N_ORIGIN)
    ]:
        type_sets = [(t,) for t in vocab.MIGRATION_TYPES] + [vocab.MIGRATION_TYPES]
        country_sets = [(COUNTRY[area],)] if side == "origin" else COUNTRY_SETS
        for types, countries in itertools.product(type_sets, country_sets):
            fact = Fact(side, area, tuple(types), tuple(countries), 0.0)
            key = (side, area, fact.types, fact.countries)
            if key in facts_published:
                continue
            row = fact.row(N_VARS)
            out.append((key, row, float(row @ true)))
    return out


def joint(systems: list[System], sum_relation: bool) -> System:
    """Several channels' systems side by side; with ``sum_relation`` the last channel is
    cell by cell the sum of the others (the remitters of the remittance uses)."""
    a = sparse.block_diag([s.a_eq for s in systems], format="csr")
    b = np.concatenate([s.b_eq for s in systems])
    if sum_relation:
        n = len(systems)
        link = sparse.hstack([sparse.identity(N_VARS)] * (n - 1) + [-sparse.identity(N_VARS)])
        a = sparse.vstack([a, link]).tocsr()
        b = np.concatenate([b, np.zeros(N_VARS)])
    return System(a, b)


def covers(system: System, rows: np.ndarray, top: float) -> np.ndarray:
    """For each target row, whether both 0 and ``top`` are consistent with the facts (rows
    whose true values lie in [0, top]). Many targets are pushed to 0 (or up to ``top``) by
    one LP; every target that gets there is proven; the rest are tried one by one."""
    ok = np.ones(len(rows), dtype=bool)
    for bound in (0.0, top):
        proven = np.zeros(len(rows), dtype=bool)
        batch = True
        while not proven.all():
            open_ = np.flatnonzero(~proven)
            groups = [open_] if batch else [[i] for i in open_]
            found = False
            for group in groups:
                sign = 1.0 if bound == 0 else -1.0
                objective = sign * rows[group].sum(axis=0)
                extra = (
                    {} if bound == 0 else {"A_ub": rows[group], "b_ub": np.full(len(group), top)}
                )
                result = optimize.linprog(objective, A_eq=system.a_eq, b_eq=system.b_eq,
                                          bounds=(0, None), method="highs", **extra)  # fmt: skip
                assert result.success, result.message
                hit = np.abs(rows[group] @ result.x - bound) < 1e-6
                proven[np.asarray(group)[hit]] = True
                found |= bool(hit.any())
            if not batch:
                break
            batch = found
        ok &= proven
    return ok
