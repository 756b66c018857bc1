"""Layout of messages: the payload (the machine document a webhook receives and the inbox
reads), and plain text and HTML rendered from it. Wording comes from alerts.texts."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from alerts import links, texts
from alerts.kinds import NotificationKind
from alerts.routing import Recipient
from monitor.enums import Severity

MAX_LISTED = 50  # alerts listed in one message; the rest are counted and linked
SEVERITY_RANK = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.INFO: 2}


def alert_item(
    aid: int,
    rule: str,
    severity: str,
    title: str,
    opened_at: datetime,
    level: int,
    detail: dict[str, Any],
    console_url: str,
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": aid,
        "rule": rule,
        "severity": severity,
        "title": title,
        "opened_at": opened_at.isoformat(),
        "escalation_level": level,
        "url": links.alert_url(console_url, aid),
    }
    code = detail.get("dossier_code")
    if code:
        item["dossier_code"] = code
        item["dossier_url"] = links.dossier_url(console_url, code)
    return item


def order(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Most severe first, then oldest first."""
    return sorted(
        items,
        key=lambda i: (SEVERITY_RANK.get(Severity(i["severity"]), 9), i["opened_at"], i["id"]),
    )


def alerts_payload(
    recipient: Recipient, items: list[dict[str, Any]], console_url: str
) -> dict[str, Any]:
    ordered = order(items)
    critical = sum(1 for i in items if i["severity"] == Severity.CRITICAL)
    return {
        "kind": NotificationKind.ALERTS.value,
        "recipient": _who(recipient),
        "subject": texts.alerts_subject(len(items), critical),
        "total": len(items),
        "critical": critical,
        "alerts": ordered[:MAX_LISTED],
        "inbox_url": links.inbox_url(console_url),
    }


def _who(r: Recipient) -> dict[str, Any]:
    return {"id": r.id, "username": r.username, "name": r.display_name}


def _line(item: dict[str, Any]) -> str:
    line = texts.alert_line(
        item["severity"], item["title"], datetime.fromisoformat(item["opened_at"])
    )
    if item["escalation_level"]:
        line += " " + texts.ALERTS_ESCALATED.format(level=item["escalation_level"])
    return line


def alerts_text(payload: dict[str, Any]) -> str:
    out = [texts.GREETING.format(name=payload["recipient"]["name"]), "", texts.ALERTS_INTRO, ""]
    for item in payload["alerts"]:
        out.append(f"- {_line(item)}")
        out.append(f"  {texts.VIEW_DOSSIER}: {item.get('dossier_url', item['url'])}")
    more = payload["total"] - len(payload["alerts"])
    if more > 0:
        out += ["", texts.ALERTS_MORE.format(n=more), payload["inbox_url"]]
    return "\n".join([*out, "", texts.ALERTS_OUTRO, "", texts.SIGNATURE, ""])


def alerts_html(payload: dict[str, Any]) -> str:
    rows = "".join(
        f'<li>{escape(_line(i))} — <a href="{escape(i.get("dossier_url", i["url"]))}">'
        f"{escape(texts.VIEW_DOSSIER)}</a></li>"
        for i in payload["alerts"]
    )
    more = payload["total"] - len(payload["alerts"])
    tail = f"<p>{escape(texts.ALERTS_MORE.format(n=more))}</p>" if more > 0 else ""
    return _page(
        texts.GREETING.format(name=payload["recipient"]["name"]),
        f"<p>{escape(texts.ALERTS_INTRO)}</p><ul>{rows}</ul>{tail}"
        f"<p>{escape(texts.ALERTS_OUTRO)}</p>",
        payload["inbox_url"],
    )


def _page(greeting: str, body: str, link: str) -> str:
    return (
        '<!doctype html><html lang="vi"><meta charset="utf-8"><body>'
        f"<p>{escape(greeting)}</p>{body}"
        f'<p><a href="{escape(link)}">{escape(texts.OPEN_CONSOLE)}</a></p>'
        f"<p><small>{escape(texts.SIGNATURE)}</small></p></body></html>"
    )


def digest_text(payload: dict[str, Any]) -> str:
    out = [texts.GREETING.format(name=payload["recipient"]["name"]), "", _counts_line(payload), ""]
    out.append(texts.DIGEST_OLDEST if payload["oldest"] else texts.DIGEST_NO_OVERDUE)
    out += [f"- {_dossier_line(d)}\n  {d['url']}" for d in payload["oldest"]]
    out += ["", texts.DIGEST_CHANGES.format(since=payload["since_text"])]
    out += [
        f"- {c['label']}: {c['opened']} {texts.DIGEST_OPENED}, {c['resolved']} "
        f"{texts.DIGEST_RESOLVED}"
        for c in payload["changes"]
    ] or [texts.DIGEST_NO_CHANGES]
    return "\n".join([*out, "", payload["inbox_url"], "", texts.SIGNATURE, ""])


def digest_html(payload: dict[str, Any]) -> str:
    oldest = "".join(
        f'<li><a href="{escape(d["url"])}">{escape(_dossier_line(d))}</a></li>'
        for d in payload["oldest"]
    )
    changes = "".join(
        f"<li>{escape(c['label'])}: {c['opened']} {escape(texts.DIGEST_OPENED)}, "
        f"{c['resolved']} {escape(texts.DIGEST_RESOLVED)}</li>"
        for c in payload["changes"]
    )
    body = (
        f"<p>{escape(_counts_line(payload))}</p>"
        f"<p>{escape(texts.DIGEST_OLDEST if oldest else texts.DIGEST_NO_OVERDUE)}</p>"
        f"<ol>{oldest}</ol>"
        f"<p>{escape(texts.DIGEST_CHANGES.format(since=payload['since_text']))}</p>"
        + (f"<ul>{changes}</ul>" if changes else f"<p>{escape(texts.DIGEST_NO_CHANGES)}</p>")
    )
    return _page(
        texts.GREETING.format(name=payload["recipient"]["name"]), body, payload["inbox_url"]
    )


def _counts_line(payload: dict[str, Any]) -> str:
    return texts.DIGEST_COUNTS.format(
        units=payload["units_text"], overdue=payload["overdue"], due_soon=payload["due_soon"]
    )


def _dossier_line(d: dict[str, Any]) -> str:
    due = datetime.fromisoformat(d["due_at"]) if d.get("due_at") else None
    return texts.digest_dossier_line(d["code"], d.get("procedure", ""), due)


def html_for(payload: dict[str, Any], text: str) -> str:
    """The HTML part of an email, from the stored payload (plain text wrapped when the kind
    has no layout of its own)."""
    kind = payload.get("kind")
    if kind == NotificationKind.ALERTS:
        return alerts_html(payload)
    if kind == NotificationKind.DIGEST:
        return digest_html(payload)
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p.strip())
    return f'<!doctype html><html lang="vi"><meta charset="utf-8"><body>{paragraphs}</body></html>'


def who(recipient: Recipient) -> dict[str, Any]:
    return _who(recipient)
