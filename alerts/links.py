"""Links into the console that messages carry (the console pages read these parameters)."""

from __future__ import annotations

from urllib.parse import quote


def alert_url(console_url: str, alert_id: int) -> str:
    return f"{console_url.rstrip('/')}/alerts?id={alert_id}"


def dossier_url(console_url: str, dossier_code: str) -> str:
    return f"{console_url.rstrip('/')}/dossiers?code={quote(dossier_code, safe='')}"


def inbox_url(console_url: str) -> str:
    return f"{console_url.rstrip('/')}/alerts"
