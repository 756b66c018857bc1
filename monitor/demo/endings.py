"""How a dossier ends: cut short (withdrawn, stopped), an apology letter when late, and the
return of the result to the citizen."""

from __future__ import annotations

from random import Random

from monitor.demo.catalogue import LAND_FIELD
from monitor.demo.clock import OfficeClock
from monitor.demo.steps import RETURN_CONTENT
from monitor.demo.story import ApologyPlan, End, StepPlan, Story
from monitor.demo.wording import APOLOGY_REASONS, RECEIVING_TITLE, STEP_OUTCOMES

P_WITHDRAWN = 0.005
P_STOPPED_LAND, P_STOPPED = 0.008, 0.0015
P_APOLOGY_IN_TIME, P_APOLOGY_TOO_LATE = 0.45, 0.20  # the rest of late dossiers: no letter
P_NEW_DATE_MET = 0.8
P_SECOND_LETTER = 0.06
MIN_STEP = 120  # seconds


def cut_short(s: Story, r: Random) -> bool:
    """Some dossiers end early: withdrawn by the citizen, or processing stopped."""
    u = r.random()
    stop = P_STOPPED_LAND if s.proc.field_code == LAND_FIELD else P_STOPPED
    if u >= P_WITHDRAWN + stop:
        return False
    s.end = End.WITHDRAWN if u < P_WITHDRAWN else End.STOPPED
    cut = s.received_pos + MIN_STEP + int(r.random() * (s.end_pos - s.received_pos))
    s.steps = [st for st in s.steps if st.start < cut] or s.steps[:1]
    last = s.steps[-1]
    if last.done > cut:
        last.done = max(last.start, cut)
        last.outcome = STEP_OUTCOMES["withdrawn" if s.end == End.WITHDRAWN else "stopped"]
    s.end_pos = max(last.done, cut)
    s.supplements = [sup for sup in s.supplements if sup.requested <= s.end_pos]
    for sup in s.supplements:
        if sup.completed is not None and sup.completed > s.end_pos:
            sup.completed, sup.new_due = None, None
    if s.payment is not None and s.payment[1] > s.end_pos:
        s.payment = None
    return True


def apologise(clock: OfficeClock, s: Story, r: Random, culprit: StepPlan) -> None:
    """The apology letter of a late dossier: in time, too late, or none; rarely two."""
    due, finish, day_of = s.due_pos, s.end_pos, clock.day_of
    u = r.random()
    reason = APOLOGY_REASONS[culprit.role][int(r.random() * len(APOLOGY_REASONS[culprit.role]))]
    if u >= P_APOLOGY_IN_TIME + P_APOLOGY_TOO_LATE:
        return
    issued = due - (1 + int(r.random() * 3)) * clock.per_day - int(r.random() * clock.per_day / 2)
    issued = max(issued, culprit.start + MIN_STEP)
    if u >= P_APOLOGY_IN_TIME or day_of(issued) >= day_of(due) or issued > finish:
        issued = due + int(r.random() * max(0, finish - due))
    if r.random() < P_NEW_DATE_MET:
        target = finish + int(r.random() * 1.5 * clock.per_day)
    else:
        target = due + int(r.random() * max(0, finish - due))
    target = max(target, issued + clock.per_day // 2)
    s.apologies.append(ApologyPlan(issued, clock.closing(target), reason))
    if r.random() < P_SECOND_LETTER:
        second = min(finish, clock.position(s.apologies[0].new_due) - clock.per_day // 2)
        if second > issued:
            new_due = clock.closing(finish + int(r.random() * clock.per_day))
            s.apologies.append(ApologyPlan(second, new_due, reason))


def hand_back(clock: OfficeClock, s: Story, r: Random) -> None:
    """The result reaches the citizen: online at once, at the counter around the appointment."""
    u, v = r.random(), r.random()
    finish = s.end_pos
    if s.channel == 2:  # results of online dossiers go back electronically
        returned = finish + int((0.02 + u * 0.5) * clock.per_day)
    else:  # people come for the result on the appointment day, or when told it is ready
        returned = max(finish, s.due_pos) + int(u * u * 0.9 * clock.per_day)
        if v < 0.06:
            returned += int((1 + v * 130) * clock.per_day)
    s.returned_pos = returned
    back = StepPlan(
        s.receiver,
        s.officer.name,
        RECEIVING_TITLE,
        RETURN_CONTENT,
        finish,
        returned,
        None,
        "return",
        outcome=STEP_OUTCOMES["returned"],
    )
    s.steps.append(back)
