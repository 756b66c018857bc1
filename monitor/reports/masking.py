"""Masking personal data (applicant name, phone, e-mail, ID number) in exports for anyone who
is not an admin: enough is left to tell two records apart at a glance, not to identify anyone."""

from __future__ import annotations


def mask_name(name: str | None) -> str:
    """'Nguyễn Thị Bí Mật' -> 'N*** T*** B*** M***'."""
    if not name:
        return ""
    return " ".join(f"{word[0]}***" for word in name.split())


def mask_phone(phone: str | None) -> str:
    """'0912345678' -> '091****678'; short numbers are hidden entirely."""
    if not phone:
        return ""
    digits = phone.strip()
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 6) + digits[-3:]


def mask_email(email: str | None) -> str:
    """'an.nguyen@example.vn' -> 'a***@example.vn'."""
    if not email:
        return ""
    local, at, domain = email.partition("@")
    return f"{local[:1]}***{at}{domain}" if at else "***"


def mask_id_number(number: str | None) -> str:
    """Only the last four characters stay."""
    if not number:
        return ""
    return "*" * max(0, len(number) - 4) + number[-4:]
