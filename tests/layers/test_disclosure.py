"""Disclosure control: threshold, consistency, zeros, and a differencing attack that fails."""

import math

import numpy as np
import pytest

from layers import disclosure, indicators, queries, vocab
from layers.disclosure import Policy
from layers.survey import CHANNEL_INDEX, RECORD_KEY_MODULUS
from tests.helpers import DORTMUND, TINY_RESPONDENTS, tiny_dataset

POLICY = Policy()


def test_threshold_suppresses_small_cells_and_is_configurable(monkeypatch):
    ds = tiny_dataset(respondents=TINY_RESPONDENTS)
    f = queries.parse_filter()
    table = indicators.indicator_table(ds, f, "municipality", indicators=("respondents",))
    assert not math.isnan(table.loc[DORTMUND, "respondents"])  # 6 respondents ≥ 5
    strict = indicators.indicator_table(ds, f, "municipality", indicators=("respondents",),
                                        policy=Policy(threshold=7))  # fmt: skip
    assert (
        math.isnan(strict.loc[DORTMUND, "respondents"])
        and strict.loc[DORTMUND, "survey_suppressed"]
    )
    monkeypatch.setenv(disclosure.THRESHOLD_ENV, "10")
    assert Policy.from_env().threshold == 10
    monkeypatch.setenv(disclosure.THRESHOLD_ENV, "five")
    with pytest.raises(ValueError, match="RUHR_DISCLOSURE_THRESHOLD"):
        Policy.from_env()


def test_zeros_stay_zeros_and_positive_counts_stay_positive():
    rng = np.random.default_rng(0)
    counts = rng.integers(0, 4, size=10_000)
    keys = rng.integers(0, RECORD_KEY_MODULUS, size=10_000)
    out = disclosure.perturb(counts, keys, POLICY)
    assert (out[counts == 0] == 0).all()
    assert (out[counts > 0] >= 1).all()


def test_noise_follows_the_perturbation_table():
    keys = np.random.default_rng(1).integers(0, RECORD_KEY_MODULUS, size=100_000)
    noise = disclosure.noise_for(keys)
    shares = [(noise == n).mean() for n in disclosure.NOISE]
    assert shares == pytest.approx(disclosure.NOISE_PROBABILITY.tolist(), abs=0.01)
    assert abs(noise.mean()) < 0.02


def test_the_same_cell_always_gets_the_same_noise(demo_dataset):
    """Dortmund's respondents from Romania, reached once through the country filter and once
    through the sum of the 42 Romanian regions' cells: same respondents, same published value."""
    f_ro = queries.parse_filter(countries="RO")
    once = indicators.indicator_table(
        demo_dataset, f_ro, "municipality", indicators=("respondents",)
    )
    again = indicators.indicator_table(
        demo_dataset, f_ro, "municipality", indicators=("respondents",)
    )
    assert once["respondents"].equals(again["respondents"])
    j = queries.MUNICIPALITY_CODES.index(DORTMUND)
    ro = [i for i, code in enumerate(queries.ORIGIN_CODES) if code.startswith("RO")]
    cells = demo_dataset.survey.counts[j][ro].sum(axis=(0, 1))
    keys = demo_dataset.survey.keys[j][ro].sum(axis=(0, 1)) % RECORD_KEY_MODULUS
    n = CHANNEL_INDEX["respondents"]
    rebuilt = disclosure.perturb(cells[n], keys[n], POLICY)
    assert once.loc[DORTMUND, "respondents"] == rebuilt


def _published_respondents(ds, types):
    f = queries.parse_filter(types=list(types))
    return indicators.indicator_table(ds, f, "municipality", indicators=("respondents",))[
        "respondents"
    ]


def test_differencing_attack_does_not_recover_suppressed_counts(demo_dataset):
    """The attacker asks for all four types and for three of them, in every municipality,
    and subtracts to learn the fourth type's small, suppressed count."""
    counts = demo_dataset.survey.counts[..., CHANNEL_INDEX["respondents"]].sum(axis=1)  # muni×type
    attempts, exact = 0, 0
    for t, target in enumerate(vocab.MIGRATION_TYPES):
        others = [x for x in vocab.MIGRATION_TYPES if x != target]
        asked_directly = _published_respondents(demo_dataset, [target])
        estimate = _published_respondents(
            demo_dataset, vocab.MIGRATION_TYPES
        ) - _published_respondents(demo_dataset, others)
        for j, ags in enumerate(queries.MUNICIPALITY_CODES):
            true = counts[j, t]
            if 0 < true < POLICY.threshold and not math.isnan(estimate[ags]):
                assert math.isnan(asked_directly[ags])  # the small cell itself is suppressed
                attempts += 1
                exact += int(estimate[ags] == true)
    assert attempts >= 20  # the demo data has enough small cells to attack
    # Cell-key noise makes the difference wrong most of the time, and the attacker cannot
    # tell the right guesses from the wrong ones.
    assert exact / attempts < 0.5


def test_without_perturbation_the_same_attack_would_succeed(demo_dataset):
    """Control experiment: with noise switched off, differencing is exact. This is what the
    cell-key method prevents."""
    plain = Policy(perturb=False)
    f_all = queries.parse_filter()
    f_three = queries.parse_filter(types=["immigrant", "return", "circular"])
    cols = ("respondents",)
    all_types = indicators.indicator_table(
        demo_dataset, f_all, "municipality", indicators=cols, policy=plain
    )
    three = indicators.indicator_table(
        demo_dataset, f_three, "municipality", indicators=cols, policy=plain
    )
    counts = demo_dataset.survey.counts[..., CHANNEL_INDEX["respondents"]].sum(axis=1)
    transnational = counts[:, vocab.MIGRATION_TYPES.index("transnational")]
    estimate = (all_types["respondents"] - three["respondents"]).to_numpy()
    valid = ~np.isnan(estimate)
    assert (estimate[valid] == transnational[valid]).all()


def test_exports_and_tables_hold_no_suppressed_value(demo_dataset):
    table = indicators.indicator_table(demo_dataset, queries.parse_filter(types=["transnational"]),
                                       "municipality")  # fmt: skip
    survey_columns = [c for c in table.columns if c.startswith(("need_", "language_", "remitting"))]
    hidden = table["survey_suppressed"]
    assert hidden.any()
    assert table.loc[hidden, survey_columns].isna().all().all()
