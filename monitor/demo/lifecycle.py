"""What happens to a dossier after reception: its steps, supplement requests and lateness
(endings.py: how it ends, apology letters, the return of the result).

The chances come from the field profile (land is the latest) and the resolving unit's quality
(a few units are much worse). A late dossier is late because one step outran its allotted time,
so the deadline engine finds the unit responsible. Draws never depend on the channel: the
channel is the one thing that depends on the simulated window (the rising online share), and
keeping the other draws apart keeps every dossier the same whatever the window.
"""

from __future__ import annotations

import math
from random import Random

from monitor.calendar import WorkCalendar
from monitor.demo.clock import OfficeClock
from monitor.demo.endings import MIN_STEP, apologise, cut_short, hand_back
from monitor.demo.province import Province, UnitSpec
from monitor.demo.staff import staff_of
from monitor.demo.steps import (
    SUPPLEMENT_RECEPTION,
    TEMPLATES,
    StepKind,
    step_unit,
)
from monitor.demo.story import End, StepPlan, Story, SupplementPlan
from monitor.demo.wording import RECEIVING_TITLE, STEP_OUTCOMES
from monitor.enums import TimeUnit

P_REFUSED = 0.008
P_INFLATED = 0.02  # appointments set later than the legal time allows
P_SECOND_SUPPLEMENT = 0.15
P_ABANDONED = 0.2  # the citizen never brings the missing papers
ABANDON_AFTER_DAYS = 20  # then processing is stopped


def _expo(r: Random, mean: float) -> float:
    return -math.log(1.0 - r.random()) * mean


class Planner:
    def __init__(self, clock: OfficeClock, cal: WorkCalendar, province: Province) -> None:
        self.clock, self.cal, self.p = clock, cal, province
        self.day = clock.per_day
        self._skeletons: dict[
            tuple[str, str, str], tuple[tuple[UnitSpec, StepKind, tuple[str, ...], str], ...]
        ] = {}

    def plan(self, s: Story, r: Random) -> None:
        if r.random() < P_REFUSED:
            s.end, s.end_pos = End.REFUSED, s.received_pos + MIN_STEP + int(r.random() * 1800)
            return
        work = self._appointment(s, r)
        self._steps(s, r, work)
        if r.random() < s.proc.profile.supplement and self._supplements(s, r):
            return  # abandoned: stopped after the citizen never came back
        due = s.supplements[-1].new_due if s.supplements else s.due
        assert due is not None
        s.due_pos = self.clock.position(due)
        quality = s.resolver.quality
        # A bad unit is late in every field, not only in those that are often late anyway.
        late = r.random() < min(0.85, s.proc.profile.late * quality + 0.025 * max(0.0, quality - 1))
        culprit = None
        if late:
            culprit = self._make_late(s, r)
        else:
            self._keep_in_time(s)
        s.end_pos = s.steps[-1].done
        if cut_short(s, r):
            return
        if culprit is not None:
            apologise(self.clock, s, r, culprit)
        hand_back(self.clock, s, r)

    # -- appointment and steps -------------------------------------------------------------

    def _appointment(self, s: Story, r: Random) -> int:
        """Sets the legal due and the printed appointment; returns the legal office time."""
        proc, clock = s.proc, self.clock
        start = clock.instant(s.start_pos)
        s.legal_due = self.cal.add_s(start, proc.legal_amount, proc.legal_unit)
        s.due = s.legal_due
        if r.random() < P_INFLATED * (2.0 if s.resolver.quality > 2 else 1.0):
            extra = 1 + int(r.random() * 5)
            s.due = self.cal.add_s(s.legal_due, extra, TimeUnit.WORKING_DAYS)
        return max(1800, clock.position(s.legal_due) - s.start_pos)

    def _skeleton(self, s: Story) -> tuple[tuple[UnitSpec, StepKind, tuple[str, ...], str], ...]:
        """Unit, kind, candidate people and title of each step (the same for every dossier of
        a procedure between the same two units)."""
        key = (s.proc.code, s.receiver.code, s.resolver.code)
        found = self._skeletons.get(key)
        if found is None:
            out: list[tuple[UnitSpec, StepKind, tuple[str, ...], str]] = []
            for kind in TEMPLATES[s.proc.template]:
                unit = step_unit(self.p, kind, s.proc, s.receiver, s.resolver)
                staff = staff_of(unit.code)
                if kind.role == "reception":
                    out.append((unit, kind, (), RECEIVING_TITLE))
                elif kind.role == "leader":
                    out.append((unit, kind, (staff.leader,), staff.leader_title))
                else:
                    out.append((unit, kind, staff.specialists, staff.specialist_title))
            found = self._skeletons[key] = tuple(out)
        return found

    def _steps(self, s: Story, r: Random, work: int) -> None:
        rand, steps = r.random, s.steps
        prev_done = s.received_pos
        for unit, kind, people, title in self._skeleton(s):
            allot = int(kind.share * work)
            allot = allot if allot > MIN_STEP else MIN_STEP
            if not people:  # reception, by the officer at the counter
                start = s.received_pos
                duration = MIN_STEP + int(rand() * (allot if allot < 2400 else 2400))
                if s.start_pos > start:  # the allotted time counts from when the clock starts
                    allot += s.start_pos - start
                person = s.officer.name
            else:
                start = prev_done if prev_done > s.start_pos else s.start_pos
                duration = int(allot * (0.15 + 0.75 * rand()))
                duration = duration if duration > MIN_STEP else MIN_STEP
                person = people[0] if len(people) == 1 else people[int(rand() * len(people))]
            step = StepPlan(
                unit,
                person,
                title,
                kind.content,
                start,
                start + duration,
                allot,
                kind.role,
                kind.blame,
            )
            steps.append(step)
            prev_done = step.done
            if kind.role == "tax":  # the citizen pays before the certificate is signed
                wait = int(rand() * 0.6 * self.day)
                s.payment = (step.done, step.done + wait)
                prev_done += wait

    def _shift_after(self, s: Story, i: int, delta: int) -> None:
        for step in s.steps[i + 1 :]:
            step.start += delta
            step.done += delta
        if s.payment is not None and s.payment[0] >= s.steps[i].start:
            s.payment = (s.payment[0] + delta, s.payment[1] + delta)

    # -- supplement requests ---------------------------------------------------------------

    def _supplements(self, s: Story, r: Random) -> bool:
        """Adds one or two requests; returns True when the citizen never came back."""
        count = 2 if r.random() < P_SECOND_SUPPLEMENT else 1
        e = next(i for i, step in enumerate(s.steps) if step.role == "expert")
        for n in range(count):
            step = s.steps[e]
            within = (0.2 + r.random() * 2.8) if r.random() < 0.9 else (3 + r.random() * 4)
            req = step.start + max(MIN_STEP, min(step.done - step.start, int(within * self.day)))
            remaining = max(MIN_STEP, step.done - req)
            step.done, step.outcome = req, STEP_OUTCOMES["supplement"]
            # The delay, if any, is for the resumed step: the request itself stays put.
            blame, step.blame = step.blame, 0.0
            previous = s.supplements[-1].new_due if s.supplements else s.due
            assert previous is not None
            if n == count - 1 and r.random() < P_ABANDONED:
                s.supplements.append(SupplementPlan(req, None, previous, None))
                del s.steps[e + 1 :]
                s.payment = None
                s.end, s.end_pos = End.STOPPED, req + ABANDON_AFTER_DAYS * self.day
                return True
            comp = req + int(min(25.0, 0.3 + _expo(r, 3.0)) * self.day)
            new_due = self._shift_due(s, previous, req, comp)
            s.supplements.append(SupplementPlan(req, comp, previous, new_due))
            back = StepPlan(
                s.receiver,
                s.officer.name,
                RECEIVING_TITLE,
                SUPPLEMENT_RECEPTION,
                comp,
                comp + MIN_STEP + int(r.random() * 1200),
                self.day // 2,
                "reception",
            )
            allot = max(MIN_STEP, (step.allot or 0) - (req - step.start))
            resume = StepPlan(
                step.unit,
                step.person,
                step.title,
                step.content,
                back.done,
                back.done + remaining,
                allot,
                "expert",
                blame,
            )
            delta = resume.done - (req + remaining)
            self._shift_after(s, e, delta)
            s.steps[e + 1 : e + 1] = [back, resume]
            e += 2
        return False

    def _shift_due(self, s: Story, due: int, req_pos: int, comp_pos: int) -> int:
        """The appointment pushed back by the time the dossier waited for the citizen."""
        cal, req, comp = self.cal, self.clock.instant(req_pos), self.clock.instant(comp_pos)
        unit = s.proc.legal_unit
        if unit == TimeUnit.HOURS:
            return cal.add_working_hours_s(due, cal.working_seconds_between_s(req, comp) / 3600)
        if unit == TimeUnit.CALENDAR_DAYS:
            return due + (comp - req)
        day = self.clock.day_of
        days = cal.working_days_between_edays(day(req_pos), day(comp_pos))
        return cal.add_s(due, days, TimeUnit.WORKING_DAYS) if days > 0 else due

    # -- lateness --------------------------------------------------------------------------

    def _make_late(self, s: Story, r: Random) -> StepPlan:
        """Makes one step outrun its allotted time by at least a working day."""
        candidates = [i for i, st in enumerate(s.steps) if st.blame > 0]
        pick = r.random() * sum(s.steps[i].blame * s.steps[i].unit.quality for i in candidates)
        i = candidates[-1]
        for j in candidates:
            pick -= s.steps[j].blame * s.steps[j].unit.quality
            if pick <= 0:
                i = j
                break
        culprit = s.steps[i]
        hours_based = s.proc.legal_unit == TimeUnit.HOURS
        mean = 0.7 if hours_based else s.proc.profile.overrun_days
        overrun = int((1.0 + min(40.0, _expo(r, mean))) * self.day)
        due, finish = s.due_pos, s.steps[-1].done
        deadline = culprit.start + (culprit.allot or 0)
        done = max(culprit.done + max(0, due - finish) + overrun, deadline + overrun)
        self._shift_after(s, i, done - culprit.done)
        culprit.done = done
        return culprit

    def _keep_in_time(self, s: Story) -> None:
        """Supplement waits and payment can push an in-time plan past the appointment: the
        steps after the last resubmission then work faster."""
        excess = s.steps[-1].done - s.due_pos + 600
        first = max((i for i, st in enumerate(s.steps) if st.role == "reception"), default=0) + 1
        for i in range(len(s.steps) - 1, first - 1, -1):
            if excess <= 0:
                return
            step = s.steps[i]
            cut = min(excess, step.done - step.start - MIN_STEP)
            if cut > 0:
                step.done -= cut
                self._shift_after(s, i, -cut)
                excess -= cut
