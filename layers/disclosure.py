"""Disclosure control for everything derived from respondent microdata.

Method (documented in data/README.md): the cell-key method that the German statistical
offices use for the 2022 census. Each respondent carries a fixed random record key; a
cell's key is the sum of its respondents' keys modulo 2**32, scaled to [0, 1). The key
picks the noise from a fixed perturbation table, so the same set of respondents always gets
the same noise, whichever filters produced it; differencing two allowed selections then
returns a noisy value, never the exact small count. Zeros stay zeros and a positive count
stays positive. Cells resting on fewer than ``threshold`` respondents are suppressed.
Flows and official statistics are not perturbed."""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from layers.survey import RECORD_KEY_MODULUS

DEFAULT_THRESHOLD = 5
THRESHOLD_ENV = "RUHR_DISCLOSURE_THRESHOLD"

# Perturbation table: noise and its probability (symmetric, mean 0, variance 0.9).
NOISE = np.array([-2, -1, 0, 1, 2])
NOISE_PROBABILITY = np.array([0.05, 0.20, 0.50, 0.20, 0.05])
_NOISE_BOUNDS = np.cumsum(NOISE_PROBABILITY)[:-1]


@dataclass(frozen=True)
class Policy:
    threshold: int = DEFAULT_THRESHOLD
    perturb: bool = True  # off only in tests that check hand-computed plumbing

    @classmethod
    def from_env(cls) -> Policy:
        raw = os.environ.get(THRESHOLD_ENV, str(DEFAULT_THRESHOLD))
        try:
            threshold = int(raw)
        except ValueError:
            raise ValueError(
                f"{THRESHOLD_ENV}={raw!r}: expected a whole number of respondents, e.g. 5"
            ) from None
        if threshold < 1:
            raise ValueError(f"{THRESHOLD_ENV}={raw!r}: must be at least 1")
        return cls(threshold=threshold)


def noise_for(keys: np.ndarray) -> np.ndarray:
    cell_key = (np.asarray(keys) % RECORD_KEY_MODULUS) / RECORD_KEY_MODULUS
    return NOISE[np.searchsorted(_NOISE_BOUNDS, cell_key, side="right")]


def perturb(counts: np.ndarray, keys: np.ndarray, policy: Policy) -> np.ndarray:
    counts = np.asarray(counts)
    if not policy.perturb:
        return counts.copy()
    return np.where(counts > 0, np.maximum(counts + noise_for(keys), 1), 0)


def suppressed(base_counts: np.ndarray, policy: Policy) -> np.ndarray:
    """True where the number of respondents a value rests on is below the threshold."""
    return np.asarray(base_counts) < policy.threshold


def protected_counts(counts, keys, policy: Policy) -> np.ndarray:
    """Perturbed counts as floats, NaN where the count rests on too few respondents
    (a zero stays zero: it rests on nobody)."""
    values = perturb(counts, keys, policy).astype(float)
    values[suppressed(counts, policy) & (np.asarray(counts) > 0)] = np.nan
    return values


def protected_shares(numerator, numerator_keys, base, base_keys, policy: Policy):
    """Shares in per cent from perturbed counts; NaN where the base is below the threshold.

    Returns (shares, suppressed mask of the base)."""
    hidden = suppressed(base, policy)
    top = perturb(numerator, numerator_keys, policy).astype(float)
    bottom = perturb(base, base_keys, policy).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.clip(
            100.0 * top / bottom[..., None] if top.ndim > bottom.ndim else 100.0 * top / bottom,
            0.0,
            100.0,
        )
    mask = hidden[..., None] if top.ndim > hidden.ndim else hidden
    shares = np.where(np.broadcast_to(mask, shares.shape), np.nan, shares)
    return shares, hidden
