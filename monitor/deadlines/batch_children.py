"""Steps, supplement requests and apology letters of a chunk, for the batch evaluation.

What the rules need from them (responsibility.responsible_units, apologies.judge_apologies,
the completed requests of dues.legal_due and dues.appointment, the first fact dated ahead)
becomes one array each over the dossiers, NA or NEVER where a dossier has none.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from monitor.deadlines.columns import NA, Bools, Columns, Ints, Outcome, day, midnight
from monitor.deadlines.facts import NEVER, Instant


@dataclass
class Requests:
    """Supplement requests known at ``now``: how many were made, and the completed ones in
    order (``completed[k]``: requested, completed, new due of each dossier's k-th)."""

    requested: Ints  # how many requests were made by now
    completed: list[tuple[Ints, Ints, Ints]]
    restart: Ints  # the last completion (legal policy: the clock restarts there)
    ahead: Ints  # the first request or completion dated after now
    sane: Bools  # every date inside the bounds the batch handles

    @property
    def any_completed(self) -> Bools:
        return self.restart != NA


@dataclass
class Letters:
    """judge_apologies for every row: the first letter issued by now and what it says."""

    issued: Bools
    first_issued: Ints
    first_new_due: Ints
    second: Bools
    ahead: Ints  # the first letter dated after now
    sane: Bools


def requests_of(
    c: Columns, now: Instant, bounds: tuple[Instant, Instant], max_wait: int
) -> Requests:
    """The requests of every row; ``sane`` is false where a date falls outside ``bounds`` or
    a wait is longer than ``max_wait`` seconds."""
    n, s = len(c), c.supplements
    made = s.requested <= now
    done = made & (s.completed != NA) & (s.completed <= now)
    out = Requests(
        np.bincount(s.row[made], minlength=n)[:n].astype(np.int64),
        [],
        _unknown(n),
        _ahead(n, s.row, s.requested, s.completed, now=now),
        _sane(n, s.row, [s.requested, s.completed, s.new_due], bounds),
    )
    waited = (s.completed != NA) & (np.abs(s.completed - s.requested) > max_wait)
    out.sane &= np.bincount(s.row[waited], minlength=n)[:n] == 0
    np.maximum.at(out.restart, s.row[done], s.completed[done])
    rows = s.row[done]
    rank = np.arange(rows.size) - np.searchsorted(rows, rows)  # k-th completed of its dossier
    for k in range(int(rank.max()) + 1 if rank.size else 0):
        at = rank == k
        columns = (_unknown(n), _unknown(n), _unknown(n))
        for column, values in zip(columns, (s.requested, s.completed, s.new_due), strict=True):
            column[rows[at]] = values[done][at]
        out.completed.append(columns)
    return out


def letters_of(c: Columns, now: Instant, bounds: tuple[Instant, Instant]) -> Letters:
    n, a = len(c), c.apologies
    visible = np.flatnonzero(a.issued <= now)
    # The first letter of each dossier: the earliest issued, the first listed among equals.
    order = visible[np.lexsort((visible, a.issued[visible], a.row[visible]))]
    rows = a.row[order]
    first = order[np.r_[True, rows[1:] != rows[:-1]]] if order.size else order
    out = Letters(
        np.zeros(n, np.bool_),
        _unknown(n),
        _unknown(n),
        np.bincount(a.row[visible], minlength=n)[:n] > 1,
        _ahead(n, a.row, a.issued, now=now),
        _sane(n, a.row, [a.issued, a.new_due], bounds),
    )
    out.issued[a.row[first]] = True
    out.first_issued[a.row[first]] = a.issued[first]
    out.first_new_due[a.row[first]] = a.new_due[first]
    return out


def _unknown(n: int) -> Ints:
    return np.full(n, NA, np.int64)


def _ahead(n: int, row: Ints, *times: Ints, now: Instant) -> Ints:
    """Per row, the first of ``times`` after ``now`` (NEVER if none)."""
    first = np.full(n, NEVER, np.int64)
    for t in times:
        later = (t != NA) & (t > now)
        np.minimum.at(first, row[later], t[later])
    return first


def _sane(n: int, row: Ints, times: list[Ints], bounds: tuple[Instant, Instant]) -> Bools:
    """Per row: every known time of ``times`` inside ``bounds``."""
    wild = np.zeros(row.size, np.bool_)
    for t in times:
        wild |= (t != NA) & ((t < bounds[0]) | (t >= bounds[1]))
    return np.bincount(row[wild], minlength=n)[:n] == 0


def steps_of(
    c: Columns, plain: Bools, running_rows: Bools, end_rows: Ints, now: Instant, out: Outcome
) -> tuple[Ints, Ints]:
    """responsibility.responsible_units for the ``plain`` rows (into ``out.units``), and per
    row the first step date ahead and the first moment a running step becomes late (NEVER if
    none). ``running_rows``: the dossier is in hand or waiting; ``end_rows``: when it ended."""
    n = len(c)
    first, step_next = np.full(n, NEVER, np.int64), np.full(n, NEVER, np.int64)
    s = c.steps
    if not s.row.size:
        return first, step_next
    running, end = running_rows[s.row], end_rows[s.row]
    counted = plain[s.row] & (s.deadline != NA)
    started_later = (s.started != NA) & (s.started > now)
    done_by_now = (s.done != NA) & (s.done <= now)
    stop = np.where(done_by_now, s.done, np.where(running, now, end))
    judged = counted & ~started_later & (done_by_now | running | (end != NA))
    late = judged & (day(stop) > day(s.deadline))
    found = out.units
    for row, k in zip(s.row[late].tolist(), np.flatnonzero(late).tolist(), strict=True):
        name, units = s.unit[k], found.get(row)
        if units is None:
            found[row] = (name,)
        elif name not in units:
            found[row] = (*units, name)
    ahead = np.full(s.row.size, NEVER, np.int64)
    for t in (s.started, s.done):
        ahead = np.where((t != NA) & (t > now) & (t < ahead), t, ahead)
    np.minimum.at(first, s.row[counted], ahead[counted])
    overrun = midnight(day(s.deadline) + 1)
    live = counted & running & ~done_by_now & ~started_later & (overrun > now)
    np.minimum.at(step_next, s.row[live], overrun[live])
    return first, step_next
