"""A new dossier: which procedure, where it is received and resolved, when, by which channel,
by whom and for whom.

Dossiers are received only within office hours of a working day, more in the morning. Online
submissions may come at any hour (nights, weekends, Tết) and are received within a few hours,
or at the next working morning; a paper dossier received after the afternoon cut-off starts its
clock the next working day (monitor.calendar.clock_start).
"""

from __future__ import annotations

from bisect import bisect
from datetime import date
from itertools import accumulate
from random import Random

from monitor.calendar import WorkCalendar
from monitor.demo import people
from monitor.demo.catalogue import LAND_FIELD, Catalogue, FieldProfile, ProcedureSpec
from monitor.demo.clock import OfficeClock
from monitor.demo.province import Province, UnitSpec
from monitor.demo.staff import officer_pools
from monitor.demo.steps import resolving_unit
from monitor.demo.story import Applicant, Story
from monitor.demo.wording import LAND_SUMMARY

POSTAL_SHARE = 0.025
PROVINCE_ONLINE_BIAS, COMMUNE_ONLINE_BIAS = 0.08, -0.04  # province targets are higher
MORNING_SHARE = 0.62
EARLY_WINDOW = 5400  # office seconds: reception of the night's online submissions


class Intake:
    def __init__(
        self, clock: OfficeClock, cal: WorkCalendar, province: Province, catalogue: Catalogue
    ) -> None:
        self.clock, self.cal, self.p, self.cat = clock, cal, province, catalogue
        self._commune_cum = tuple(accumulate(c.size for c in province.communes))
        self._pools = officer_pools()
        shifts = clock.shifts
        self._morning = shifts[0][1] - shifts[0][0]
        self._afternoon = clock.per_day - self._morning

    def story(self, r: Random, day: date, day_pos: int, online_share: float) -> Story:
        proc = self.cat.pick(r.random())
        prof = proc.profile
        commune = self.p.communes[bisect(self._commune_cum, r.random() * self._commune_cum[-1])]
        at_centre = r.random() < prof.at_centre
        local = self.p.commune_level_unit(commune, day)
        receiver = self.p.centre if proc.level == "province" and at_centre else local
        resolver = resolving_unit(self.p, proc, local)
        offset = self._office_offset(r.random(), r.random(), r.random())
        received_pos = day_pos + offset
        received = self.clock.instant(received_pos)
        channel = self._channel(r.random(), online_share, proc)
        submitted = self._submitted(channel, received, received_pos, offset, r.random(), r.random())
        start = self.cal.clock_start_s(received, channel != 2)
        pool = self._pools[
            f"{receiver.code}/{prof.department}" if receiver is self.p.centre else receiver.code
        ]
        officer = pool[int(r.random() * len(pool))]
        applicant = self._applicant(r, prof, commune, channel)
        summary = self._summary(r, proc)
        f = r.random()
        flags = (
            int(channel == 2 and proc.has_fee and f < 0.7),
            int(f < 0.6),
            int(channel == 2 and f < 0.85),
        )
        return Story(
            proc,
            receiver,
            resolver,
            officer,
            channel,
            applicant,
            summary,
            submitted,
            received,
            received_pos,
            self.clock.position(start),
            flags=flags,
        )

    def _office_offset(self, u: float, v: float, w: float) -> int:
        """Office seconds into the day: mid-morning and mid-afternoon peaks."""
        if u < MORNING_SHARE:
            return int((v + w) / 2 * self._morning)
        return self._morning + int((v + w) / 2 * self._afternoon)

    def _channel(self, u: float, share: float, proc: ProcedureSpec) -> int:
        bias = PROVINCE_ONLINE_BIAS if proc.level == "province" else COMMUNE_ONLINE_BIAS
        if u < share + proc.profile.online + bias:
            return 2
        return 3 if u > 1 - POSTAL_SHARE else 1

    def _submitted(
        self, channel: int, received: int, received_pos: int, offset: int, u: float, v: float
    ) -> int:
        if channel == 1:
            return received
        if channel == 3:  # handed to the post office one to three days before
            return received - int((1 + 2 * u) * 86_400)
        if offset < EARLY_WINDOW and u < 0.8:  # overnight (or over the weekend, or Tết)
            i = received_pos // self.clock.per_day
            closed = self.clock.closing((i - 1) * self.clock.per_day)
            return closed + int(v * max(0, received - 600 - closed))
        return received - 600 - int(v * 3 * 3600)

    def _applicant(
        self, r: Random, prof: FieldProfile, commune: UnitSpec, channel: int
    ) -> Applicant:
        u, e = r.random(), r.random()
        if u < prof.agency:
            name = f"Ủy ban nhân dân {commune.name[0].lower()}{commune.name[1:]}"
            return Applicant(name, people.phone(r), people.tax_code(r), 3)
        if u < prof.agency + prof.business:
            return Applicant(people.firm_name(r), people.phone(r), people.tax_code(r), 2)
        name = people.person_name(r)
        applicant = Applicant(name, people.phone(r), people.citizen_id(r), 1)
        if channel == 2 and e < 0.35:
            applicant.email = people.email_for(name, e)
        return applicant

    def _summary(self, r: Random, proc: ProcedureSpec) -> str:
        if proc.field_code != LAND_FIELD:
            return proc.name
        parcel, sheet = 1 + int(r.random() * 900), 1 + int(r.random() * 60)
        return LAND_SUMMARY.format(name=proc.name, parcel=parcel, sheet=sheet)
