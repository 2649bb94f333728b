"""Types of municipalities: the 53 Ruhr municipalities grouped by their migration profile.

Method: Ward's hierarchical clustering (``scipy.cluster.hierarchy.linkage(method="ward")``,
cut with ``fcluster(criterion="maxclust")`` into ``K`` types) of standardised profile
indicators (z-scores over the 53 municipalities):

- arrivals per 1,000 inhabitants and year, and net migration per 1,000 (level and balance),
- coefficient of variation of the yearly arrivals (volatility; needs two or more years),
- the share of each selected migration type in the turnover (only with two or more types),
- the Herfindahl index of the arrivals over origin regions (concentration of origins).

An indicator that does not vary under the filter (one year, one type) is left out; a value
that cannot be computed (a municipality without moves) counts as the Ruhr mean (z = 0).
Ward is deterministic: the same data give the same types. Types are numbered by their mean
arrivals per 1,000, highest first (ties: the type holding the first AGS). Each type is named
by the one or two standardised indicators of its centroid furthest from 0.

The types describe the flows under the current filter (years, migration types, countries);
a linked selection on the other map does not change them. Origin regions are not typed: 70
regions with mostly few moves each would make types of noise (their value is empty). The
flows are synthetic demonstration data until real data are imported: so are the types."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.cluster import hierarchy

from layers import l10n, queries, vocab
from layers.dataset import Dataset
from layers.indicators import coefficient_of_variation
from layers.queries import FlowFilter

K = 5  # a handful: enough to tell profiles apart, few enough to name and colour
NAME_THRESHOLD = 0.5  # a centroid this many SD from the mean sets the type apart

# A feature's word in a type's name when the centroid is high or low; {type}: a migration
# type's label (lower case but in German).
HIGH = l10n.texts("typology.high", {
    "arrivals_per_1000": {"de": "hohe Zuzugsrate", "en": "high arrival rate"},
    "net_per_1000": {"de": "hoher Saldo", "en": "high net balance"},
    "arrivals_cv": {"de": "schwankend", "en": "volatile"},
    "origin_hhi": {"de": "wenige Herkunftsregionen", "en": "concentrated origins"},
    "share": {"de": "hoher Anteil {type}", "en": "high {type} share"},
})  # fmt: skip
LOW = l10n.texts("typology.low", {
    "arrivals_per_1000": {"de": "niedrige Zuzugsrate", "en": "low arrival rate"},
    "net_per_1000": {"de": "niedriger Saldo", "en": "low net balance"},
    "arrivals_cv": {"de": "stetig", "en": "steady"},
    "origin_hhi": {"de": "vielfältige Herkunft", "en": "diverse origins"},
    "share": {"de": "geringer Anteil {type}", "en": "low {type} share"},
})  # fmt: skip
FEATURE = l10n.texts("typology.feature", {
    "arrivals_per_1000": {"de": "Zuzugsrate", "en": "arrival rate"},
    "net_per_1000": {"de": "Saldorate", "en": "net rate"},
    "arrivals_cv": {"de": "Schwankung", "en": "volatility"},
    "origin_hhi": {"de": "Herkunftskonzentration", "en": "origin concentration"},
    "share": {"de": "Anteil {type}", "en": "share {type}"},
})  # fmt: skip
SIZE = l10n.plural("typology.size", {"de": ["{n} Kommune", "{n} Kommunen"],
                                     "en": ["{n} municipality", "{n} municipalities"]})  # fmt: skip
WORDING = l10n.texts("typology", {
    "average": {"de": "durchschnittliches Profil", "en": "average profile"},
    "type": {"de": "Typ", "en": "Type"},
    "mean": {"de": "zum Ruhr-Mittel", "en": "from the Ruhr mean"},
})  # fmt: skip


def _word(table: dict, feature: str, lang: str) -> str:
    kind = feature.removeprefix("share_")
    if kind == feature:
        return table[feature][lang]
    label = vocab.MIGRATION_TYPE_LABELS[kind][lang]
    return table["share"][lang].format(type=label if lang == "de" else label.lower())


def herfindahl(counts: np.ndarray) -> np.ndarray:
    """Σ pᵢ² over the last axis (1 = all from one category); NaN for an empty row."""
    counts = np.asarray(counts, dtype=float)
    total = counts.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, ((counts / total[..., None]) ** 2).sum(axis=-1), np.nan)


def features(ds: Dataset, f: FlowFilter) -> dict[str, np.ndarray]:
    """The raw profile indicators per municipality (code order)."""
    yearly = queries.filtered_flows_by_year(ds, f)  # [year, origin, municipality, direction]
    flows = yearly.sum(axis=0)
    arrivals, departures = flows[:, :, 0].sum(axis=0), flows[:, :, 1].sum(axis=0)
    population = ds.municipalities["population"].reindex(queries.MUNICIPALITY_CODES)
    per_year = 1000 / len(f.years) / population.to_numpy(dtype=float)
    columns = {
        "arrivals_per_1000": arrivals * per_year,
        "net_per_1000": (arrivals - departures) * per_year,
        "arrivals_cv": coefficient_of_variation(yearly[:, :, :, 0].sum(axis=1)),
    }
    if len(f.types) > 1:
        by_type = ds.flows[queries._year_slice(f)][..., queries._type_positions(f), :]
        by_type = by_type * queries._origin_mask(f.countries)[None, :, None, None, None]
        turnover = by_type.sum(axis=(0, 1, 4))  # [municipality, type]
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = turnover / turnover.sum(axis=1, keepdims=True)
        for i, mtype in enumerate(f.types):
            columns[f"share_{mtype}"] = shares[:, i]
    columns["origin_hhi"] = herfindahl(flows[:, :, 0].T)
    return columns


def standardise(columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """z-scores (population SD) of the columns that vary; NaN → 0 (the mean)."""
    out = {}
    for name, values in columns.items():
        values = np.asarray(values, dtype=float)
        sd = np.nanstd(values) if np.isfinite(values).any() else 0.0
        if not sd > 1e-12:
            continue
        out[name] = np.nan_to_num((values - np.nanmean(values)) / sd, nan=0.0)
    return out


@dataclass(frozen=True)
class Typology:
    labels: np.ndarray  # type 1..k per municipality, code order
    z: dict[str, np.ndarray]  # the standardised indicators clustered
    names: tuple[dict[str, str], ...]  # per type 1..k
    descriptions: tuple[dict[str, str], ...]
    sizes: tuple[int, ...]

    @property
    def k(self) -> int:
        return len(self.names)

    def name(self, number: int, lang: str) -> str:
        return self.names[number - 1][lang]


def _cluster(matrix: np.ndarray, k: int) -> np.ndarray:
    if len(np.unique(matrix, axis=0)) < 2:
        return np.ones(len(matrix), dtype=int)
    tree = hierarchy.linkage(matrix, method="ward", metric="euclidean")
    return hierarchy.fcluster(tree, t=k, criterion="maxclust")


def _renumber(raw: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Types 1..k ordered by the mean of ``key``, highest first; ties: first member first."""
    clusters = sorted(set(raw.tolist()), key=lambda c: (-key[raw == c].mean(),
                                                        int(np.argmax(raw == c))))  # fmt: skip
    order = {c: number for number, c in enumerate(clusters, start=1)}
    return np.array([order[c] for c in raw.tolist()], dtype=int)


def _texts(number: int, centroid: dict[str, float], size: int) -> tuple[dict, dict]:
    ranked = sorted(centroid, key=lambda n: (-abs(centroid[n]), n))
    apart = [n for n in ranked[:2] if abs(centroid[n]) >= NAME_THRESHOLD]
    name, description = {}, {}
    for lang in l10n.LANGUAGES:
        words = [_word(HIGH if centroid[n] > 0 else LOW, n, lang) for n in apart]
        name[lang] = (
            f"{WORDING['type'][lang]} {number}: {', '.join(words or [WORDING['average'][lang]])}"
        )
        figures = ", ".join(
            f"{_word(FEATURE, n, lang)} {centroid[n]:+.1f} SD" for n in ranked[:3]
        ).replace(".", "." if lang == "en" else ",")
        count = SIZE.form(size, lang).format(n=size)
        description[lang] = f"{count}; {figures} {WORDING['mean'][lang]}" if ranked else count
    return name, description


def typology(ds: Dataset, f: FlowFilter, k: int = K) -> Typology:
    """The municipalities' types under the filter (see the module's docstring)."""
    raw = features(ds, f)
    z = standardise(raw)
    n = len(queries.MUNICIPALITY_CODES)
    matrix = np.column_stack(list(z.values())) if z else np.zeros((n, 1))
    labels = _renumber(_cluster(matrix, k), np.nan_to_num(raw["arrivals_per_1000"]))
    names, descriptions, sizes = [], [], []
    for number in range(1, labels.max() + 1):
        members = labels == number
        centroid = {name: float(values[members].mean()) for name, values in z.items()}
        name, description = _texts(number, centroid, int(members.sum()))
        names.append(name)
        descriptions.append(description)
        sizes.append(int(members.sum()))
    return Typology(labels, z, tuple(names), tuple(descriptions), tuple(sizes))


def similar(ds: Dataset, f: FlowFilter, ags: str, n: int = 5) -> list[tuple[str, float]]:
    """The ``n`` municipalities nearest to ``ags`` on the standardised indicators
    (Euclidean distance), itself excluded; nearest first, ties by AGS."""
    if ags not in queries.MUNICIPALITY_CODES:
        raise queries.InvalidParameter("ags", ags, "a Ruhr municipality's AGS")
    z = typology(ds, f).z
    codes = queries.MUNICIPALITY_CODES
    if not z:
        distances = np.zeros(len(codes))
    else:
        matrix = np.column_stack(list(z.values()))
        distances = np.sqrt(((matrix - matrix[codes.index(ags)]) ** 2).sum(axis=1))
    ranked = sorted((float(d), c) for c, d in zip(codes, distances, strict=True) if c != ags)
    return [(c, d) for d, c in ranked[:n]]
