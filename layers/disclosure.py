"""Cell suppression for tables of respondent counts: primary, secondary, and an interval audit.

The method is the one τ-ARGUS and sdcTable apply to frequency tables (data/README.md,
"Disclosure control"): a table is a set of cells bound by linear relations
(parent = sum of children). A cell with 1 … k−1 respondents is *sensitive* and suppressed
(primary suppression). Suppressing it alone is not enough, since a published parent minus the
published siblings gives it back; so further cells are suppressed (secondary suppression)
until every relation with a suppressed cell holds at least two, and then an *audit* solves,
for every sensitive cell, the smallest and largest value consistent with everything
published (linear programming with HiGHS, the solver behind ``scipy.optimize.linprog``).
A sensitive cell is protected when that interval covers 0 … k−1: an attacker who knows all
published cells and all relations cannot tell whether the cell holds nobody or anything up
to k−1 respondents.
Cells that fail the audit get another partner, and the audit runs again on them.

Published values are exact counts; there is no noise to average away."""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

DEFAULT_THRESHOLD = 5


@dataclass(frozen=True)
class Policy:
    """How survey numbers are protected; set by RUHR_DISCLOSURE_THRESHOLD (layers/settings.py)."""

    threshold: int = DEFAULT_THRESHOLD


DEFAULT_POLICY = Policy()


@dataclass(frozen=True, eq=False)
class LinkedTable:
    """Cells with their true counts and the relations between them.

    ``relations`` is a sparse matrix, one row per relation, +1 for each child and −1 for the
    parent, so ``relations @ values == 0``. ``keep`` marks cells never chosen as secondary
    suppressions (the Ruhr totals: large, and what everything else is read against)."""

    values: np.ndarray
    relations: sparse.csr_matrix
    keep: np.ndarray

    @functools.cached_property
    def incidence(self) -> sparse.csr_matrix:
        """Relations × cells, 1 where a cell is in a relation (built once, used per partner)."""
        return abs(self.relations).tocsr()

    @functools.cached_property
    def by_cell(self) -> sparse.csr_matrix:
        """Cells × relations: the relations each cell is in."""
        return self.incidence.T.tocsr()

    def sensitive(self, threshold: int) -> np.ndarray:
        return (self.values > 0) & (self.values < threshold)


def suppress(table: LinkedTable, threshold: int) -> np.ndarray:
    """The suppression pattern (True = not published) that passes the audit."""
    suppressed = table.sensitive(threshold).copy()
    to_check = np.flatnonzero(suppressed)
    while True:
        _close_singletons(table, suppressed)
        failing = to_check[~attacker_system(table, suppressed).covers(to_check, threshold - 1)]
        if failing.size == 0:
            return suppressed
        for cell in failing:
            if not _add_partner(table, suppressed, cell):
                raise RuntimeError(f"cell {cell} cannot be protected")  # never seen: see tests
        # More suppression only removes constraints, so cells that passed still pass.
        to_check = failing


def _close_singletons(table: LinkedTable, suppressed: np.ndarray) -> None:
    """Until no relation holds exactly one suppressed cell (it would follow from the others)."""
    incidence = table.incidence
    while True:
        per_relation = incidence @ suppressed.astype(np.int64)
        singles = np.flatnonzero(per_relation == 1)
        if singles.size == 0:
            return
        for relation in singles:
            cells = incidence.indices[incidence.indptr[relation] : incidence.indptr[relation + 1]]
            if suppressed[cells].sum() == 1:  # an earlier partner may already have closed it
                _suppress_best(table, suppressed, relation, cells)


def _suppress_best(table: LinkedTable, suppressed, relation: int, cells: np.ndarray) -> bool:
    """Suppress the candidate of ``cells`` that loses least: a child before the parent (a
    parent pushes the problem one level up), a non-zero cell (it can give or take), the
    smallest such (fewest respondents hidden). Returns False when there is none."""
    row = table.relations.getrow(relation)
    is_parent = dict(zip(row.indices, row.data < 0, strict=True))
    candidates = [c for c in cells if not suppressed[c] and not table.keep[c]]
    if not candidates:
        candidates = [c for c in cells if not suppressed[c]]
    if not candidates:
        return False
    best = min(candidates, key=lambda c: (table.values[c] == 0, is_parent[c], table.values[c], c))
    suppressed[best] = True
    return True


def _add_partner(table: LinkedTable, suppressed: np.ndarray, cell: int) -> bool:
    """One more suppression next to ``cell``: in its relation with the fewest suppressed cells
    that still has a candidate, else next to the cells suppressed with it."""
    incidence, by_cell = table.incidence, table.by_cell
    seen, frontier = set(), [cell]
    while frontier:
        relations = sorted(
            {
                r
                for c in frontier
                for r in by_cell.indices[by_cell.indptr[c] : by_cell.indptr[c + 1]]
            }
            - seen,
            key=lambda r: suppressed[_cells(incidence, r)].sum(),
        )
        for relation in relations:
            if _suppress_best(table, suppressed, relation, _cells(incidence, relation)):
                return True
        seen.update(relations)
        frontier = [c for r in relations for c in _cells(incidence, r) if suppressed[c]]
    return False


def _quiet_highs() -> highspy.Highs:
    """A HiGHS instance without its banner: it prints one on stdout when first constructed,
    which would end up in the middle of a command's report."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _cells(matrix: sparse.csr_matrix, row: int) -> np.ndarray:
    """Column indices of one row's entries: a relation's cells (or a cell's relations)."""
    return matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]


def audit(
    table: LinkedTable, suppressed: np.ndarray, cells: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``cells`` (suppressed), the smallest and largest value consistent with
    every published cell and every relation, counts being ≥ 0: what an attacker who solves
    the linear system learns. ``inf`` where nothing bounds a cell from above."""
    return attacker_system(table, suppressed).intervals(np.asarray(cells))


@dataclass(frozen=True, eq=False)
class AttackerSystem:
    """Everything published, as linear equations over the unpublished cells."""

    unknown: np.ndarray  # cell ids of the variables
    a_eq: sparse.csr_matrix
    b_eq: np.ndarray

    def solver(self) -> highspy.Highs:
        """HiGHS with the system loaded once: each bound changes only the objective, and
        the solver starts from the last basis (a few pivots instead of a new solve)."""
        h = _quiet_highs()
        h.setOptionValue("output_flag", False)
        csc = self.a_eq.tocsc()
        n = len(self.unknown)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, csc.shape[0]
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_, lp.col_upper_ = np.zeros(n), np.full(n, highspy.kHighsInf)
        lp.row_lower_ = lp.row_upper_ = self.b_eq
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_ = csc.indptr, csc.indices
        lp.a_matrix_.value_ = csc.data
        h.passModel(lp)
        return h

    def intervals(self, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        h = self.solver()
        positions = np.searchsorted(self.unknown, cells)
        lo, hi = np.empty(len(cells)), np.empty(len(cells))
        for out, sense in ((lo, highspy.ObjSense.kMinimize), (hi, highspy.ObjSense.kMaximize)):
            h.changeObjectiveSense(sense)
            for i, position in enumerate(positions):
                h.changeColCost(int(position), 1.0)
                h.run()
                status = h.getModelStatus()
                if status == highspy.HighsModelStatus.kUnbounded:
                    out[i] = np.inf
                elif status == highspy.HighsModelStatus.kOptimal:
                    out[i] = h.getInfo().objective_function_value
                else:
                    raise RuntimeError(f"audit LP failed: {h.modelStatusToString(status)}")
                h.changeColCost(int(position), 0.0)
        return lo, hi

    def covers(self, cells: np.ndarray, top: float) -> np.ndarray:
        """For each cell, whether both 0 and ``top`` are consistent with what is published:
        exactly ``intervals(cells)`` covering [0, top], for cells whose true value lies in
        it, found with few LPs. One LP pushes all open cells to 0 (or up to ``top``) at once;
        every cell that gets there is proven, since the LP's solution is a table that fits
        everything published. Cells left over are tried one by one."""
        h = self.solver()
        positions = np.searchsorted(self.unknown, cells)
        ok = np.ones(len(cells), dtype=bool)
        for sense, bound in ((highspy.ObjSense.kMinimize, 0.0), (highspy.ObjSense.kMaximize, top)):
            h.changeObjectiveSense(sense)
            proven = self._prove(h, positions, bound)
            ok &= proven
        return ok

    def _prove(self, h: highspy.Highs, positions: np.ndarray, bound: float) -> np.ndarray:
        """Push the open cells to ``bound`` together until no more get there. Cells left
        over count as not proven: at worst they get a partner they did not strictly need."""
        proven = np.zeros(len(positions), dtype=bool)
        while not proven.all():
            open_ = np.flatnonzero(~proven)
            cols = positions[open_].astype(np.int32)
            n = len(cols)
            h.changeColsCost(n, cols, np.ones(n))
            if bound > 0:  # the true values of sensitive cells are below it: still feasible
                h.changeColsBounds(n, cols, np.zeros(n), np.full(n, bound))
            h.run()
            status = h.getModelStatus()
            if status != highspy.HighsModelStatus.kOptimal:
                raise RuntimeError(f"audit LP failed: {h.modelStatusToString(status)}")
            hit = np.abs(np.asarray(h.getSolution().col_value)[cols] - bound) < 1e-6
            h.changeColsCost(n, cols, np.zeros(n))
            if bound > 0:
                h.changeColsBounds(n, cols, np.zeros(n), np.full(n, highspy.kHighsInf))
            if not hit.any():
                break
            proven[open_[hit]] = True
        return proven


def attacker_system(table: LinkedTable, suppressed: np.ndarray) -> AttackerSystem:
    unknown = np.flatnonzero(suppressed)
    known = ~suppressed
    relations = table.relations
    b = -(relations[:, known] @ table.values[known].astype(float))
    a = relations[:, unknown]
    used = np.flatnonzero(abs(a).sum(axis=1).A1 > 0)  # relations touching an unknown
    return AttackerSystem(unknown, a[used].tocsr(), b[used])
