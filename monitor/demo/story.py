"""The whole life of one simulated dossier, planned up front.

A Story holds everything that will ever happen to a dossier — reception, steps, supplement
requests, apology letters, the end and the return — as office-time positions (clock.py).
``render.py`` then shows the dossier as it stands at any moment, so the same dossier looks
the same in every run and simply progresses as time passes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from monitor.demo.catalogue import ProcedureSpec
from monitor.demo.province import UnitSpec
from monitor.demo.staff import CounterOfficer


class End:
    FINISHED = "finished"
    WITHDRAWN = "withdrawn"  # the citizen withdrew it (status 7)
    STOPPED = "stopped"  # processing stopped (status 8)
    REFUSED = "refused"  # not accepted at reception (status 3)


@dataclass(slots=True)
class StepPlan:
    unit: UnitSpec
    person: str  # NguoiXuLy
    title: str  # ChucDanh
    content: str  # NoiDungXuLy
    start: int  # position
    done: int  # position
    allot: int | None  # office seconds allotted; None: no deadline of its own
    role: str
    blame: float = 0.0
    outcome: str = "Hoàn thành"  # TrangThai once done


@dataclass(slots=True)
class SupplementPlan:
    requested: int  # position
    completed: int | None  # position; None: the citizen never came back
    previous_due: int  # instant
    new_due: int | None  # instant, set when the complete dossier arrives


@dataclass(slots=True)
class ApologyPlan:
    issued: int  # position
    new_due: int  # instant
    reason: str


@dataclass(slots=True)
class Applicant:
    name: str
    phone: str
    id_number: str
    kind: int  # LoaiDoiTuong
    email: str | None = None


@dataclass(slots=True)
class Story:
    proc: ProcedureSpec
    receiver: UnitSpec
    resolver: UnitSpec
    officer: CounterOfficer
    channel: int
    applicant: Applicant
    summary: str
    submitted: int  # instant (online submissions may come at any hour)
    received: int  # instant, within office hours of a working day
    received_pos: int
    start_pos: int  # when the legal clock starts (clock_start)
    due: int | None = None  # instant: NgayHenTra as printed on the receipt
    legal_due: int | None = None
    due_pos: int = 0  # position of the appointment in force (after supplement requests)
    steps: list[StepPlan] = field(default_factory=list)
    supplements: list[SupplementPlan] = field(default_factory=list)
    apologies: list[ApologyPlan] = field(default_factory=list)
    payment: tuple[int, int] | None = None  # positions: waiting for the citizen to pay
    end: str = End.FINISHED
    end_pos: int = 0
    returned_pos: int | None = None
    flags: tuple[int, int, int] = (0, 0, 0)  # paid online, digitised, VNeID account
    code: str = ""

    @property
    def paper(self) -> bool:
        return self.channel != 2
