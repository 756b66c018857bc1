"""The apology rule (DOMAIN.md §4, NĐ 61/2018 art. 19, Mẫu 04 of TT 01/2018).

An agency that will be late must issue the apology letter, with a new return date, at least one
day before the due date; the date may be reset only once.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.deadlines.dues import day_of
from monitor.deadlines.facts import ApologyLetter, Instant


@dataclass(slots=True)
class ApologyOutcome:
    effective_due: Instant | None  # the new date of a valid apology, else the appointment
    issued: bool  # at least one letter issued by the as-of time
    reset: bool  # the first letter was in time and moved the date
    too_late: bool  # the first letter was issued on or after the due date
    second: bool  # a second letter: a second reset, which the rule forbids


def judge_apologies(
    letters: tuple[ApologyLetter, ...], due: Instant | None, now: Instant
) -> ApologyOutcome:
    """What the letters issued by ``now`` do to a dossier whose appointment is ``due``.

    "At least one day before the due date" is read by date: the letter must be dated on a day
    before the due date. Only the first letter can reset the date, and only if it was in time;
    a late first letter leaves the original date in force. Later letters change nothing but are
    a breach (second_reschedule).
    """
    if not letters:
        return ApologyOutcome(due, False, False, False, False)
    visible = [a for a in letters if a.issued_at <= now]
    if not visible:
        return ApologyOutcome(due, False, False, False, False)
    first = min(visible, key=lambda a: a.issued_at)
    too_late = due is not None and day_of(first.issued_at) >= day_of(due)
    reset = not too_late and first.new_due_at is not None
    effective = first.new_due_at if reset else due
    return ApologyOutcome(effective, True, reset, too_late, len(visible) > 1)
