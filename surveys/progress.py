"""What the citizen sees of their dossier's progress: status and dates, never personal data
(no applicant name, phone, e-mail or ID number is read at all)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from monitor.enums import STATUS_NAMES_VI, DossierStatus
from monitor.models import Dossier
from monitor.vi_format import day
from surveys import texts as T


@dataclass(frozen=True)
class Progress:
    code: str
    procedure: str
    status: str
    received: str
    due: str
    finished: str
    returned: str
    timeliness: str

    def rows(self) -> list[tuple[str, str]]:
        rows = [
            (T.PROGRESS_CODE, self.code),
            (T.PROGRESS_PROCEDURE, self.procedure),
            (T.PROGRESS_STATUS, self.status),
            (T.PROGRESS_RECEIVED, self.received),
            (T.PROGRESS_DUE, self.due),
            (T.PROGRESS_FINISHED, self.finished),
            (T.PROGRESS_RETURNED, self.returned),
            (T.PROGRESS_TIMELINESS, self.timeliness),
        ]
        return [(label, value) for label, value in rows if value]


_COLUMNS = (
    Dossier.code,
    Dossier.procedure_name,
    Dossier.status,
    Dossier.received_at,
    Dossier.effective_due_at,
    Dossier.due_at,
    Dossier.finished_at,
    Dossier.returned_at,
    Dossier.due_status,
)


def dossier_progress(engine: Engine, dossier_id: int) -> Progress | None:
    with engine.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(Dossier.id == dossier_id)).first()
    if row is None:
        return None
    code, procedure, status, received, effective_due, due, finished, returned, due_status = row
    try:
        status_name = STATUS_NAMES_VI[DossierStatus(status)]
    except ValueError:
        status_name = ""
    return Progress(
        code=code,
        procedure=procedure or "",
        status=status_name,
        received=day(received),
        due=day(effective_due or due),
        finished=day(finished),
        returned=day(returned),
        timeliness=T.DUE_STATUS_VI.get(due_status or "", ""),
    )
