"""Dossiers and what happens to them: steps, supplement requests, apology letters, events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from monitor.models.base import Base, utcnow


class Source(Base):
    """Where dossiers come from: an HTTP feed, a folder of exports, or files given by hand."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="file")
    url: Mapped[str | None] = mapped_column(String(500))
    expected_interval_minutes: Mapped[int] = mapped_column(default=60)
    cursor: Mapped[str | None] = mapped_column(String(255))
    enabled: Mapped[bool] = mapped_column(default=True)
    last_success_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class Dossier(Base):
    __tablename__ = "dossiers"
    __table_args__ = (
        UniqueConstraint("source_id", "code"),
        Index("ix_dossiers_open_due", "status", "due_at"),
        Index("ix_dossiers_unit_field", "resolving_unit_id", "field_id"),
        Index("ix_dossiers_next_change_at", "next_change_at"),
        Index("ix_dossiers_received_at", "received_at"),
        # Ended dossiers by end date (reports' count, satisfaction score): migration 0002.
        Index("ix_dossiers_status_finished", "status", "finished_at"),
        Index("ix_dossiers_due_status", "due_status"),
        # Ratings find a dossier by its code alone (kiosk, signed link, imported ratings).
        Index("ix_dossiers_code", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    code: Mapped[str] = mapped_column(String(64))
    procedure_id: Mapped[int | None] = mapped_column(ForeignKey("procedures.id"))
    procedure_code: Mapped[str] = mapped_column(String(64), default="")
    procedure_name: Mapped[str] = mapped_column(String(500), default="")
    field_id: Mapped[int | None] = mapped_column(ForeignKey("fields.id"))
    receiving_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    resolving_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    channel: Mapped[int] = mapped_column(default=1)
    applicant_name: Mapped[str | None] = mapped_column(String(255))
    applicant_phone: Mapped[str | None] = mapped_column(String(32))
    applicant_email: Mapped[str | None] = mapped_column(String(255))
    applicant_id_number: Mapped[str | None] = mapped_column(String(32))
    applicant_kind: Mapped[int | None]
    summary: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None]
    received_at: Mapped[datetime]
    due_at: Mapped[datetime | None]
    legal_amount: Mapped[float | None]
    legal_unit: Mapped[str | None] = mapped_column(String(16))
    legal_due_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    returned_at: Mapped[datetime | None]
    status: Mapped[int]
    # NguoiTiepNhan: the officer code as the source gives it (officers.code when known).
    receiving_officer_code: Mapped[str | None] = mapped_column(String(64))
    source_version: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Derived by the deadline engine; facts above, conclusions below.
    due_status: Mapped[str | None] = mapped_column(String(16))
    effective_due_at: Mapped[datetime | None]
    breaches: Mapped[str] = mapped_column(String(255), default="")
    responsible_units: Mapped[list[Any]] = mapped_column(default=list)
    evaluated_at: Mapped[datetime | None]
    next_change_at: Mapped[datetime | None]

    steps: Mapped[list[DossierStep]] = relationship(
        back_populates="dossier", order_by="DossierStep.seq", cascade="all, delete-orphan"
    )
    supplements: Mapped[list[Supplement]] = relationship(
        back_populates="dossier", order_by="Supplement.seq", cascade="all, delete-orphan"
    )
    apologies: Mapped[list[Apology]] = relationship(
        back_populates="dossier", order_by="Apology.seq", cascade="all, delete-orphan"
    )


class DossierStep(Base):
    """One hand-over in QuaTrinhXuLy, with the step's own allotted deadline."""

    __tablename__ = "dossier_steps"
    __table_args__ = (UniqueConstraint("dossier_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    seq: Mapped[int]
    unit_name: Mapped[str] = mapped_column(String(255), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    officer: Mapped[str | None] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(String(255))
    content: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    deadline_at: Mapped[datetime | None]

    dossier: Mapped[Dossier] = relationship(back_populates="steps")


class Supplement(Base):
    """DanhSachHoSoBoSung: a request to the citizen to complete the dossier."""

    __tablename__ = "supplements"
    __table_args__ = (UniqueConstraint("dossier_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    seq: Mapped[int]
    requested_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    previous_due_at: Mapped[datetime | None]
    new_due_at: Mapped[datetime | None]

    dossier: Mapped[Dossier] = relationship(back_populates="supplements")


class Apology(Base):
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (DanhSachXinLoi)."""

    __tablename__ = "apologies"
    __table_args__ = (UniqueConstraint("dossier_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    seq: Mapped[int]
    issued_at: Mapped[datetime]
    new_due_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)

    dossier: Mapped[Dossier] = relationship(back_populates="apologies")


class DossierEvent(Base):
    """Append-only status history: what a source said, when, in which import batch."""

    __tablename__ = "dossier_events"
    __table_args__ = (Index(None, "dossier_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[int | None]
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
