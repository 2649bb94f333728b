"""Disclosure control: the rules, and the attacks the design must withstand (data/README.md,
"Disclosure control"). The attacks use the public functions only; ground truth scores them."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import sparse

from layers import disclosure, indicators, publication, queries, vocab
from layers.dataset import snapshot_dir
from layers.disclosure import LinkedTable, Policy
from layers.settings import Settings
from layers.survey import CHANNEL_INDEX, build_survey_cube
from tests.helpers import DORTMUND, TINY_RESPONDENTS, tiny_dataset
from tests.layers import attack
from tests.shared import once_per_run

K = Policy().threshold
CHANNELS = ["respondents", "need:housing", "lang:tr", "prior:NL"]
USE_CHANNELS = [*publication.USE_GROUP]


def _report(capsys, text: str) -> None:
    with capsys.disabled():
        print(f"\n  [attack] {text}")


# --- the method on a hand-made table ---------------------------------------------------------


def _two_by_two(values):
    """A 2×2 table with margins: cells a b / c d, row sums, column sums, total."""
    a, b, c, d = values
    cells = np.array([a, b, c, d, a + b, c + d, a + c, b + d, a + b + c + d])
    relations = [(4, [0, 1]), (5, [2, 3]), (6, [0, 2]), (7, [1, 3]), (8, [4, 5]), (8, [6, 7])]
    rows, cols, data = [], [], []
    for i, (parent, children) in enumerate(relations):
        rows += [i] * (len(children) + 1)
        cols += [parent, *children]
        data += [-1.0] + [1.0] * len(children)
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(len(relations), len(cells)))
    keep = np.zeros(len(cells), dtype=bool)
    keep[8] = True
    return LinkedTable(cells, matrix, keep)


def test_one_small_cell_gets_partners_and_its_interval_covers_0_to_k_minus_1():
    table = _two_by_two([3, 20, 30, 40])
    hidden = disclosure.suppress(table, K)
    assert hidden[0] and hidden.sum() >= 4  # a lone suppression would follow from a margin
    lo, hi = disclosure.audit(table, hidden, np.array([0]))
    assert lo[0] <= 0 and hi[0] >= K - 1
    # Without secondary suppression the audit finds it exactly: the check can fail.
    lo, hi = disclosure.audit(table, table.sensitive(K), np.array([0]))
    assert lo[0] == hi[0] == 3


def test_partners_are_large_enough_to_hide_the_small_cell():
    """The small cell next to a 5 and a 6: the partners must be able to give and take."""
    table = _two_by_two([4, 5, 6, 200])
    hidden = disclosure.suppress(table, K)
    lo, hi = disclosure.audit(table, hidden, np.flatnonzero(table.sensitive(K)))
    assert (lo <= 0).all() and (hi >= K - 1).all()


def test_threshold_is_configurable():
    assert Settings.from_env({"RUHR_DISCLOSURE_THRESHOLD": "10"}).policy.threshold == 10
    with pytest.raises(ValueError, match="RUHR_DISCLOSURE_THRESHOLD"):
        Settings.from_env({"RUHR_DISCLOSURE_THRESHOLD": "five"})


def test_tiny_survey_is_suppressed_by_its_threshold():
    ds = tiny_dataset(respondents=TINY_RESPONDENTS)
    f = queries.parse_filter()

    def dortmund(k):
        table = indicators.indicator_table(ds, f, "municipality", indicators=("respondents",),
                                           policy=Policy(threshold=k))  # fmt: skip
        return table.loc[DORTMUND, ["respondents", "survey_suppressed"]].tolist()

    assert dortmund(1) == [6, False]
    value, hidden = dortmund(7)
    assert np.isnan(value) and hidden


# --- the publication of the demo survey ------------------------------------------------------


@pytest.fixture(scope="module")
def truth(demo_dataset):
    muni, origin = publication.channel_tables(build_survey_cube(demo_dataset.respondents))
    return muni.astype(float), origin.astype(float)


def test_published_cells_are_exact_counts_zero_or_at_least_k(demo_dataset, truth):
    pub = demo_dataset.publication
    for published, true in ((pub.municipal, truth[0]), (pub.regional, truth[1])):
        shown = ~np.isnan(published)
        assert (published[shown] == true[shown]).all()  # no noise to average away
        assert ((published[shown] == 0) | (published[shown] >= K)).all()
        assert np.isnan(published[(true > 0) & (true < K)]).all()  # every small cell hidden


def test_the_publication_file_is_what_the_respondents_give(demo_dir, demo_dataset):
    rebuilt = publication.build_publication(demo_dataset.respondents, Policy())
    assert np.array_equal(rebuilt.municipal, demo_dataset.publication.municipal, equal_nan=True)
    assert np.array_equal(rebuilt.regional, demo_dataset.publication.regional, equal_nan=True)
    assert (snapshot_dir(demo_dir) / publication.PUBLICATION_FILE).is_file()


def test_shown_numbers_never_contradict_the_rule_shown(demo_dataset):
    """Gelsenkirchen's languages and countries: every count shown is ≥ k (the page says
    smaller ones are not shown), and a combination of types is the sum of its parts."""
    gelsenkirchen = queries.Selection("municipality", "05513000")
    for f in attack.FILTERS:
        for prefix in ("lang", "prior"):
            table = indicators.category_counts(demo_dataset, f, gelsenkirchen, prefix, Policy())
            shown = table.loc[~table["suppressed"], "count"]
            assert ((shown == 0) | (shown >= K)).all()
    two = queries.parse_filter(types=["circular", "return"])
    table = indicators.indicator_table(demo_dataset, two, "municipality", None, ("respondents",))
    parts = [indicators.indicator_table(demo_dataset, queries.parse_filter(types=[t]),
                                        "municipality", None, ("respondents",))["respondents"]
             for t in two.types]  # fmt: skip
    both = table["respondents"].notna() & parts[0].notna() & parts[1].notna()
    assert both.any()
    assert (table.loc[both, "respondents"] == (parts[0] + parts[1])[both]).all()


def test_remittance_uses_add_up_to_100_percent(demo_dataset):
    shown = 0
    for code in queries.MUNICIPALITY_CODES:
        selection = queries.Selection("municipality", code)
        uses = indicators.remittance_uses(demo_dataset, queries.parse_filter(), selection, Policy())
        if uses.notna().all():
            assert uses.sum() == pytest.approx(100.0)
            shown += 1
    assert shown >= 5


def test_year_filters_change_no_survey_number(demo_dataset):
    """The survey is one wave: year ranges give the attacker no further tables."""
    columns = ("respondents", "need_housing", "language_richness")
    reference = indicators.indicator_table(demo_dataset, queries.parse_filter(), "municipality",
                                           None, columns)  # fmt: skip
    for years in (2014, "2015-2020", 2024, "2021-2022"):
        other = indicators.indicator_table(demo_dataset, queries.parse_filter(years=years),
                                           "municipality", None, columns)  # fmt: skip
        for column in columns:
            assert reference[column].equals(other[column])


def test_pairs_of_areas_are_never_published(demo_dataset):
    assert attack.pairs_published(demo_dataset, Policy()) == 0


# --- the attacks ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def harvested(demo_dataset, tmp_path_factory):
    channels = [*CHANNELS, *USE_CHANNELS]
    return once_per_run(tmp_path_factory, "harvest",
                        lambda _: attack.harvest(demo_dataset, channels, Policy()))  # fmt: skip


def _targets(ds, facts, channel):
    true = attack.true_cells(ds.respondents, channel)
    published = {(f.side, f.area, f.types, f.countries) for f in facts}
    return attack.targets(published, true), true


def test_every_published_number_fits_the_truth(demo_dataset, harvested):
    """The attacker's equations hold for the true table: the harvest reads numbers right."""
    for channel in [*CHANNELS, *USE_CHANNELS]:
        system = attack.equations(harvested[channel])
        true = attack.true_cells(demo_dataset.respondents, channel)
        assert np.abs(system.a_eq @ true - system.b_eq).max() < 1e-9, channel


def test_single_differences_recover_no_small_cell(demo_dataset, harvested, capsys):
    """Every pair of published numbers of one area whose difference is one suppressed cell
    (e.g. all types minus three, both countries minus Romania)."""
    for channel in CHANNELS:
        targets, _ = _targets(demo_dataset, harvested[channel], channel)
        sensitive = {row.tobytes(): value for _, row, value in targets if 0 < value < K}
        by_area: dict = {}
        for fact in harvested[channel]:
            by_area.setdefault((fact.side, fact.area), []).append(fact)
        tried = recovered = 0
        for facts in by_area.values():
            rows = [(f.row(attack.N_VARS), f.value) for f in facts]
            for (big, v_big), (small, v_small) in itertools.permutations(rows, 2):
                difference = big - small
                if difference.min() < 0 or not difference.any():
                    continue
                value = sensitive.get(difference.tobytes())
                if value is not None:
                    tried += 1
                    recovered += int(v_big - v_small == value)
        _report(capsys, f"single differences, {channel}: {len(sensitive)} small cells, "
                        f"{tried} differences land on one, {recovered} recover it")  # fmt: skip
        assert recovered == 0 and tried == 0


@pytest.fixture(scope="module")
def respondent_intervals(demo_dataset, harvested, tmp_path_factory):
    """(row, true value, LP interval) of every suppressed respondents cell."""

    def solve(_):
        system = attack.equations(harvested["respondents"])
        targets, _ = _targets(demo_dataset, harvested["respondents"], "respondents")
        return system, [(row, value, attack.interval(system, row)) for _, row, value in targets]

    return once_per_run(tmp_path_factory, "respondent-intervals", solve)


@pytest.mark.parametrize("channel", CHANNELS)
def test_linear_programming_over_everything_published(
    demo_dataset, harvested, respondent_intervals, channel, capsys
):
    """For every suppressed cell of the published tables (53 municipalities × 5 × 3 and 70
    regions × 5), the smallest and largest value consistent with every number the public
    functions give for all 45 type × country filters, both maps and all selections: no
    small cell's interval is narrower than 0 to k − 1. The respondents' intervals are
    solved one by one (the integer and likelihood attacks start from them); for the other
    channels ``attack.covers`` proves the same many cells per LP."""
    if channel == "respondents":
        solved = respondent_intervals[1]
        small = [(lo, hi) for _, value, (lo, hi) in solved if 0 < value < K]
        unprotected = sum(int(lo > 1e-6 or hi < K - 1 - 1e-6) for lo, hi in small)
        attacked, small_count = len(solved), len(small)
    else:
        system = attack.equations(harvested[channel])
        targets, _ = _targets(demo_dataset, harvested[channel], channel)
        rows = np.array([row for _, row, value in targets if 0 < value < K])
        unprotected = int((~attack.covers(system, rows, K - 1)).sum())
        attacked, small_count = len(targets), len(rows)
    _report(capsys, f"LP, {channel}: {attacked} suppressed cells attacked ({small_count} with "
                    f"1–{K - 1} respondents); {unprotected} small cells' intervals not "
                    f"covering 0–{K - 1}")  # fmt: skip
    assert small_count > 100  # the demo survey has many small cells to attack
    assert unprotected == 0


def test_remittance_uses_and_remitters_attacked_together(demo_dataset, harvested, capsys):
    """The uses add up to the remitters cell by cell: one system for all seven channels."""
    systems, rows, values = [], [], []
    for i, channel in enumerate(USE_CHANNELS):
        systems.append(attack.equations(harvested[channel]))
        targets, _ = _targets(demo_dataset, harvested[channel], channel)
        for _, row, value in targets:
            if 0 < value < K:
                padded = np.zeros(attack.N_VARS * len(USE_CHANNELS))
                padded[i * attack.N_VARS : (i + 1) * attack.N_VARS] = row
                rows.append(padded)
                values.append(value)
    system = attack.joint(systems, sum_relation=True)
    ok = attack.covers(system, np.array(rows), K - 1)
    _report(capsys, f"LP, remittance uses with remitters: {len(rows)} small cells attacked, "
                    f"{int((~ok).sum())} with an interval not covering 0–{K - 1}")  # fmt: skip
    assert len(rows) > 1000 and ok.all()


def test_integer_attack_on_the_tightest_cells(respondent_intervals, capsys):
    """Counts are whole numbers: integer programming (scipy's milp) can cut an interval the
    LP leaves open. Run on the 40 small respondent cells with the narrowest LP intervals."""
    system, solved = respondent_intervals
    small = [(row, hi - lo) for row, value, (lo, hi) in solved if 0 < value < K]
    tightest = [small[i] for i in np.argsort([width for _, width in small])[:40]]
    unprotected = 0
    for row, _ in tightest:
        lo, hi = attack.interval(system, row, integer=True)
        unprotected += int(lo > 0 or hi < K - 1)
    _report(capsys, f"integer programming: {len(tightest)} tightest small cells, "
                    f"{unprotected} with an integer interval not covering 0–{K - 1}")  # fmt: skip
    assert unprotected == 0


def test_maximum_likelihood_attack_that_knows_the_method(respondent_intervals, capsys):
    """The attacker knows k, that zeros are published and that a suppressed cell below k
    holds 1 … k−1, knows the true distribution of small counts, and guesses the likeliest
    value in each cell's feasible range. It is scored against guessing the commonest value."""
    solved = respondent_intervals[1]
    small = np.array([value for _, value, _ in solved if 0 < value < K])
    prior = np.bincount(small.astype(int), minlength=K)[1:K] / len(small)
    hits = 0
    for _, value, (lo, hi) in solved:
        if not 0 < value < K:
            continue
        feasible = [v for v in range(1, K) if lo - 1e-6 <= v <= hi + 1e-6]
        guess = max(feasible, key=lambda v: prior[v - 1])
        hits += int(guess == value)
    baseline = prior.max()
    _report(capsys, f"maximum likelihood: {hits} of {len(small)} small cells guessed right "
                    f"({hits / len(small):.0%}); the commonest value: {baseline:.0%}")  # fmt: skip
    assert hits / len(small) <= baseline + 1e-9


def test_without_secondary_suppression_the_same_attack_would_succeed(demo_dataset, capsys):
    """Control: publishing the same tables with primary suppression only lets the LP attack
    pin most small cells. This is what the secondary suppression prevents."""
    muni, origin = publication.channel_tables(build_survey_cube(demo_dataset.respondents))
    n = CHANNEL_INDEX["respondents"]
    values = np.concatenate([muni[n].reshape(-1), origin[n].reshape(-1)])
    table = publication.group_table(values[None, :], ("respondents",))
    small = np.flatnonzero(table.sensitive(K))
    lo, hi = disclosure.audit(table, table.sensitive(K), small)
    pinned = int((hi - lo < 0.5).sum())
    unprotected = int(((lo > 1e-6) | (hi < K - 1 - 1e-6)).sum())
    _report(capsys, f"control, primary suppression only: of {len(small)} small cells "
                    f"{pinned} pinned exactly, {unprotected} not covering 0–{K - 1}")  # fmt: skip
    assert pinned > 100 and unprotected > len(small) / 2


def test_old_differencing_attack_is_one_case_among_them(demo_dataset, capsys):
    """All four types minus the other three, per municipality (the suite's earlier attack)."""
    counts = build_survey_cube(demo_dataset.respondents)[..., CHANNEL_INDEX["respondents"]]
    counts = counts.sum(axis=1)  # [municipality, type]

    def published(types):
        f = queries.parse_filter(types=list(types))
        table = indicators.indicator_table(demo_dataset, f, "municipality", None, ("respondents",))
        return table["respondents"]

    attempts = recovered = 0
    for t, target in enumerate(vocab.MIGRATION_TYPES):
        others = [x for x in vocab.MIGRATION_TYPES if x != target]
        estimate = published(vocab.MIGRATION_TYPES) - published(others)
        for j, ags in enumerate(queries.MUNICIPALITY_CODES):
            if 0 < counts[j, t] < K:
                attempts += 1
                recovered += int(estimate[ags] == counts[j, t])
    _report(capsys, f"all types minus three: {attempts} small cells, {recovered} recovered")
    assert attempts >= 20 and recovered == 0
