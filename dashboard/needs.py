"""The support-needs tab's test in words and as a table: per life area a chi-square test of
persons naming it or not by migration type, Holm-adjusted (``layers.association``)."""

from __future__ import annotations

from dash import html

from dashboard.i18n import format_number, t
from layers import association, vocab

ALPHA = 0.05  # the level named in the summary line of the support-needs tests


def format_p(p_value: float, lang: str) -> str:
    """A p-value for a table cell: "< 0,001" below 0.001 (the chi-square approximation
    claims no more), else three decimals, in the language's number format."""
    if p_value < 0.001:
        return "< " + format_number(0.001, 3, lang)
    return format_number(p_value, 3, lang)


def _area_names(tests: list, lang: str) -> str:
    return ", ".join(vocab.SUPPORT_NEED_LABELS[a.area][lang] for a in tests)


def _needs_table(tested: list, lang: str) -> html.Table:
    """One row per life area tested: χ², df, persons, Holm-adjusted p, Cramér's V (= φ)."""
    labels = [t("needs_col_area", lang), "χ²", "df", t("needs_col_n", lang),
              t("needs_col_p", lang), t("needs_col_v", lang)]  # fmt: skip

    def row(a):
        small = " *" if a.test.min_expected < association.SMALL_EXPECTED else ""
        cells = [format_number(a.test.statistic, 1, lang) + small, str(a.test.dof),
                 format_number(a.test.n, 0, lang), format_p(a.p_holm, lang),
                 format_number(a.test.cramers_v, 2, lang)]  # fmt: skip
        name = html.Th(vocab.SUPPORT_NEED_LABELS[a.area][lang], scope="row")
        return html.Tr(
            [
                name,
                *(
                    html.Td(c, className="text-end", **{"data-label": label})
                    for c, label in zip(cells, labels[1:], strict=True)
                ),
            ]
        )

    return html.Table(
        [html.Caption(t("needs_test_caption", lang)),
         html.Thead(html.Tr([html.Th(label, scope="col") for label in labels])),
         html.Tbody([row(a) for a in tested])],
        className="table table-sm small w-auto stack-on-phone",  # app.css
    )  # fmt: skip


def needs_test_children(tests: association.AreaTests | None, lang: str) -> list:
    """The method in words, the per-area table and what was not tested, and why."""
    if tests is None:
        return [html.P(t("needs_test_na", lang))]
    if tests.versus_rest:
        kind = vocab.MIGRATION_TYPE_LABELS[tests.versus_rest][lang]
        method = t("needs_test_method_rest", lang).format(type=kind)
    else:
        method = t("needs_test_method", lang)
    out = [html.P(method)]
    tested = tests.with_status(association.TESTED)
    alpha = format_number(ALPHA, 2, lang)
    if tested:
        out.append(_needs_table(tested, lang))
        found = [a for a in tested if a.p_holm < ALPHA]
        line = t("needs_test_significant" if found else "needs_test_none_significant", lang)
        out.append(html.P(line.format(alpha=alpha, areas=_area_names(found, lang))))
    if any(a.test.min_expected < association.SMALL_EXPECTED for a in tested):
        out.append(html.P(t("needs_test_small", lang)))
    for status, key in ((association.WITHHELD, "needs_test_withheld"),
                        (association.CONSTANT, "needs_test_constant")):  # fmt: skip
        left_out = tests.with_status(status)
        if left_out:
            out.append(html.P(t(key, lang).format(areas=_area_names(left_out, lang))))
    return out
