"""Citizen ratings and free-text feedback with its labels and corrections."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from monitor.models.base import Base, utcnow


class Rating(Base):
    """One citizen's rating; at most one per dossier (NULL dossier = counter rating)."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("dossier_id"),
        UniqueConstraint("channel", "external_ref"),
        Index(None, "unit_id", "created_at"),
        Index(None, "officer_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    counter: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk_devices.id"))
    external_ref: Mapped[str | None] = mapped_column(String(128))
    # NĐ 61/2018 art. 31 criteria a..i; 1 = Không hài lòng, 2 = Hài lòng, 3 = Rất hài lòng.
    crit_a: Mapped[int | None]
    crit_b: Mapped[int | None]
    crit_c: Mapped[int | None]
    crit_d: Mapped[int | None]
    crit_dd: Mapped[int | None]
    crit_e: Mapped[int | None]
    crit_g: Mapped[int | None]
    crit_h: Mapped[int | None]
    crit_i: Mapped[int | None]
    overall: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Feedback(Base):
    """Phản ánh, kiến nghị: rating comments and imported complaints, with model labels."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("source", "external_ref"),
        Index(None, "classified_at"),
        Index(None, "unit_id", "received_at"),
        Index(None, "dossier_id"),  # a dossier's timeline and complaints (migration 0002)
        Index(None, "rating_id"),  # the comments of ratings with their labels (migration 0003)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    external_ref: Mapped[str | None] = mapped_column(String(128))
    rating_id: Mapped[int | None] = mapped_column(ForeignKey("ratings.id"))
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    text: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    sentiment: Mapped[str | None] = mapped_column(String(16))
    sentiment_confidence: Mapped[float | None]
    topic: Mapped[str | None] = mapped_column(String(32))
    topic_confidence: Mapped[float | None]
    urgent: Mapped[bool | None]
    urgent_confidence: Mapped[float | None]
    model_version: Mapped[str | None] = mapped_column(String(64))
    classified_at: Mapped[datetime | None]
    human_sentiment: Mapped[str | None] = mapped_column(String(16))
    human_topic: Mapped[str | None] = mapped_column(String(32))
    human_urgent: Mapped[bool | None]


class LabelCorrection(Base):
    """A supervisor's correction of one label: who, when, old and new."""

    __tablename__ = "label_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id"), index=True)
    label: Mapped[str] = mapped_column(String(16))
    old_value: Mapped[str | None] = mapped_column(String(32))
    new_value: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
