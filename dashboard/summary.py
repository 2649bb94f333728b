"""The maps' one-sentence summaries, for screen readers and print: the highest and lowest
areas, leaving out those below the metric's minimum base."""

from __future__ import annotations

import math

from dashboard import low_base
from dashboard.i18n import format_number, t
from layers.catalogue import CATALOGUE


def map_summary(values: dict[str, float | None], names: dict[str, str], metric: str,
                lang: str, count: int = 3, categories: tuple[str, ...] = (),
                flagged=()) -> str:  # fmt: skip
    """One sentence for screen readers and print: the highest and lowest areas (for a
    categorical metric: each category with its number of areas). Areas in ``flagged``
    (below the metric's minimum base) are not named there; the sentence says how many."""
    indicator = CATALOGUE[metric]
    if categories:
        found = [v for v in values.values() if v is not None]
        sizes = "; ".join(f"{name} ({found.count(n)})" for n, name in enumerate(categories, 1))
        return f"{indicator.text('label', lang)}: {sizes}."
    valued = [(v, c) for c, v in values.items() if v is not None and not math.isnan(v)]
    small = set(flagged)
    shown = sorted(((v, names[c]) for v, c in valued if c not in small),
                   key=lambda item: (-item[0], item[1]))  # fmt: skip
    label, skipped = indicator.text("label", lang), len(valued) - len(shown)
    if not valued:
        return t("summary_none", lang).format(metric=label)
    if not shown:
        return t("summary_only_low_base", lang).format(metric=label, n=skipped)

    def fmt(items):
        return ", ".join(
            f"{name} ({format_number(v, indicator.decimals, lang)})" for v, name in items
        )

    return t("summary", lang).format(
        metric=label, unit=indicator.text("unit", lang), top=fmt(shown[:count]),
        bottom=fmt(shown[-count:][::-1]) + low_base.left_out(skipped, lang), n=len(valued),
        total=len(values),
    )  # fmt: skip
