"""The facts and conclusions of many dossiers as numpy arrays, for ``monitor.deadlines.batch``.

Instants are int64 epoch seconds with ``NA`` for unknown; a dossier is a row, a step belongs
to the row of its dossier. ``columns_of`` builds the arrays from ``DossierFacts`` records and
``facts_at`` turns rows back into them, so the batch evaluation can be checked against the
one-dossier rules on the same input.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from monitor.calendar import DAY_S, VN_OFFSET_S
from monitor.deadlines.facts import (
    ApologyLetter,
    DossierFacts,
    Instant,
    Step,
    SupplementRequest,
)
from monitor.enums import Breach, DueStatus, TimeUnit

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

NA: Instant = -(2**62)  # an unknown instant; far enough from int64's end for arithmetic
# legal_unit as a small integer; 0 is "no unit" (no legal time can be computed).
UNITS: tuple[TimeUnit | None, ...] = (
    None,
    TimeUnit.WORKING_DAYS,
    TimeUnit.CALENDAR_DAYS,
    TimeUnit.HOURS,
)
UNIT_CODE = {u.value: i for i, u in enumerate(UNITS) if u is not None}
STATUSES: tuple[DueStatus, ...] = tuple(DueStatus)
STATUS_CODE = {s: i for i, s in enumerate(STATUSES)}
BREACHES: tuple[Breach, ...] = tuple(Breach)
BREACH_BIT = {b: 1 << i for i, b in enumerate(BREACHES)}


@dataclass
class StepColumns:
    """Steps in the order of their dossiers' rows and, within a dossier, in step order."""

    row: Ints
    unit: list[str]
    started: Ints
    done: Ints
    deadline: Ints

    @classmethod
    def empty(cls) -> StepColumns:
        return cls(_ints([]), [], _ints([]), _ints([]), _ints([]))

    def records(self, lo: int, hi: int) -> tuple[Step, ...]:
        """Steps ``lo``..``hi - 1`` as records."""
        return tuple(
            Step(self.unit[k], _opt(self.started[k]), _opt(self.done[k]), _opt(self.deadline[k]))
            for k in range(lo, hi)
        )


@dataclass
class RequestColumns:
    """Supplement requests, ordered like StepColumns."""

    row: Ints
    requested: Ints
    completed: Ints
    new_due: Ints

    @classmethod
    def empty(cls) -> RequestColumns:
        return cls(_ints([]), _ints([]), _ints([]), _ints([]))

    def records(self, lo: int, hi: int) -> tuple[SupplementRequest, ...]:
        return tuple(
            SupplementRequest(
                int(self.requested[k]), _opt(self.completed[k]), _opt(self.new_due[k])
            )
            for k in range(lo, hi)
        )


@dataclass
class LetterColumns:
    """Apology letters, ordered like StepColumns."""

    row: Ints
    issued: Ints
    new_due: Ints

    @classmethod
    def empty(cls) -> LetterColumns:
        return cls(_ints([]), _ints([]), _ints([]))

    def records(self, lo: int, hi: int) -> tuple[ApologyLetter, ...]:
        return tuple(
            ApologyLetter(int(self.issued[k]), _opt(self.new_due[k])) for k in range(lo, hi)
        )


@dataclass
class Columns:
    """The facts of a chunk of dossiers. ``amount`` is the legal time (negative: unknown),
    ``unit`` its code in UNITS, ``calendar`` the index of the dossier's calendar."""

    status: Ints
    paper: Bools
    received: Ints
    due: Ints
    finished: Ints
    returned: Ints
    amount: Floats
    unit: Ints
    calendar: Ints
    steps: StepColumns = field(default_factory=StepColumns.empty)
    supplements: RequestColumns = field(default_factory=RequestColumns.empty)
    apologies: LetterColumns = field(default_factory=LetterColumns.empty)

    def __len__(self) -> int:
        return len(self.status)


@dataclass
class Outcome:
    """The stored conclusions of a chunk: ``status`` indexes STATUSES, bit i of ``breaches``
    stands for BREACHES[i]; ``units`` holds the rows that have responsible units."""

    status: Ints
    legal: Ints
    effective: Ints
    breaches: Ints
    next_change: Ints
    units: dict[int, tuple[str, ...]] = field(default_factory=dict)


def day(t: Ints) -> Ints:
    """dues.day_of on an array: the Vietnamese epoch day of each instant."""
    return (t + VN_OFFSET_S) // DAY_S


def midnight(d: Ints) -> Ints:
    """dues.midnight on an array: when each Vietnamese epoch day begins."""
    return d * DAY_S - VN_OFFSET_S


def instants(values: Sequence[Instant | None]) -> Ints:
    """An int64 array with NA for None."""
    return _ints([NA if v is None else v for v in values])


def _ints(values: Sequence[int]) -> Ints:
    return np.asarray(values, dtype=np.int64)


def _opt(value: np.int64) -> Instant | None:
    return None if value == NA else int(value)


def columns_of(facts: Sequence[DossierFacts], calendar: Sequence[int] | None = None) -> Columns:
    """Columns holding ``facts`` (row i is facts[i]); ``calendar`` gives each one's calendar."""
    steps = [(i, s) for i, f in enumerate(facts) for s in f.steps]
    requests = [(i, s) for i, f in enumerate(facts) for s in f.supplements]
    letters = [(i, a) for i, f in enumerate(facts) for a in f.apologies]
    return Columns(
        status=_ints([f.status for f in facts]),
        paper=np.asarray([f.paper for f in facts], dtype=np.bool_),
        received=_ints([f.received_at for f in facts]),
        due=instants([f.due_at for f in facts]),
        finished=instants([f.finished_at for f in facts]),
        returned=instants([f.returned_at for f in facts]),
        amount=np.asarray(
            [-1.0 if f.legal_amount is None else f.legal_amount for f in facts], dtype=np.float64
        ),
        unit=_ints([0 if f.legal_unit is None else UNIT_CODE[f.legal_unit] for f in facts]),
        calendar=_ints(calendar if calendar is not None else [0] * len(facts)),
        steps=StepColumns(
            _ints([i for i, _ in steps]),
            [s.unit for _, s in steps],
            instants([s.started_at for _, s in steps]),
            instants([s.done_at for _, s in steps]),
            instants([s.deadline_at for _, s in steps]),
        ),
        supplements=RequestColumns(
            _ints([i for i, _ in requests]),
            instants([s.requested_at for _, s in requests]),
            instants([s.completed_at for _, s in requests]),
            instants([s.new_due_at for _, s in requests]),
        ),
        apologies=LetterColumns(
            _ints([i for i, _ in letters]),
            instants([a.issued_at for _, a in letters]),
            instants([a.new_due_at for _, a in letters]),
        ),
    )


def facts_at(c: Columns, rows: Sequence[int]) -> Iterator[tuple[int, DossierFacts]]:
    """Rows as the one-dossier rules take them (converted together: one row at a time costs
    several times as much)."""
    if not rows:
        return
    at = np.asarray(rows, dtype=np.int64)
    values = zip(
        rows,
        c.status[at].tolist(),
        c.received[at].tolist(),
        c.paper[at].tolist(),
        _nullable(c.due[at]),
        c.amount[at].tolist(),
        c.unit[at].tolist(),
        _nullable(c.finished[at]),
        _nullable(c.returned[at]),
        _bounds(c.steps.row, at),
        _bounds(c.supplements.row, at),
        _bounds(c.apologies.row, at),
        strict=True,
    )
    for i, status, received, paper, due, amount, unit, finished, returned, *spans in values:
        yield (
            i,
            DossierFacts(
                status,
                received,
                paper,
                due,
                None if amount < 0 else amount,
                UNITS[unit],
                finished,
                returned,
                c.steps.records(*spans[0]),
                c.supplements.records(*spans[1]),
                c.apologies.records(*spans[2]),
            ),
        )


def _bounds(row: Ints, at: Ints) -> list[tuple[int, int]]:
    """For each row of ``at``, the span of its children in a child array ordered by row."""
    lo = np.searchsorted(row, at).tolist()
    hi = np.searchsorted(row, at + 1).tolist()
    return list(zip(lo, hi, strict=True))


def _nullable(values: Ints) -> list[Instant | None]:
    return [None if v == NA else v for v in values.tolist()]
