"""The JSON a kiosk sends, validated by pydantic; errors explained in Vietnamese."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from surveys.capture import CODE_MAX, COMMENT_MAX, clean_code, clean_comment

Level = Annotated[int, Field(ge=1, le=3, strict=True)]
CriterionCode = Literal["a", "b", "c", "d", "dd", "e", "g", "h", "i"]
_CODE = re.compile(r"[0-9A-Z][0-9A-Z.\-_/]*")
# A rating kept offline by a kiosk keeps its own time, within reason; otherwise the server's.
OFFLINE_MAX_AGE = timedelta(days=30)
CLOCK_SKEW = timedelta(minutes=10)


class RatingIn(BaseModel):
    """POST /api/v1/ratings: one citizen's rating."""

    model_config = ConfigDict(extra="forbid")

    dossier_code: str | None = Field(
        default=None, description="MaHoSo; omitted for a rating of the counter alone"
    )
    criteria: dict[CriterionCode, Level | None] = Field(
        default_factory=dict, description="criterion (a, b, c, d, dd, e, g, h, i) -> 1..3"
    )
    overall: Level = Field(description="1 Không hài lòng, 2 Hài lòng, 3 Rất hài lòng")
    comment: str | None = Field(default=None, max_length=COMMENT_MAX * 4)
    idempotency_key: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_-]{8,64}$",
        description="the same key on a resend returns the first rating instead of a second",
    )
    rated_at: AwareDatetime | None = Field(default=None, description="when the citizen rated")

    @field_validator("dossier_code")
    @classmethod
    def _code(cls, value: str | None) -> str | None:
        code = clean_code(value)
        if code is not None and (len(code) > CODE_MAX or not _CODE.fullmatch(code)):
            raise ValueError("mã hồ sơ chỉ gồm chữ, số và các dấu . - _ / (tối đa 64 ký tự)")
        return code

    @field_validator("comment")
    @classmethod
    def _comment(cls, value: str | None) -> str | None:
        text = clean_comment(value)
        if text is not None and len(text) > COMMENT_MAX:
            raise ValueError(f"ý kiến dài quá {COMMENT_MAX} ký tự")
        return text

    def moment(self, now: datetime) -> datetime:
        """When the rating was made: the kiosk's time if plausible, else now."""
        at = self.rated_at
        if at is None or at > now + CLOCK_SKEW or at < now - OFFLINE_MAX_AGE:
            return now
        return at


_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không được phép",
    "int_type": "mức đánh giá phải là số 1, 2 hoặc 3",
    "greater_than_equal": "mức đánh giá phải là 1, 2 hoặc 3",
    "less_than_equal": "mức đánh giá phải là 1, 2 hoặc 3",
    "literal_error": "tiêu chí phải là một trong a, b, c, d, dd, e, g, h, i",
    "string_type": "phải là chuỗi ký tự",
    "string_too_long": "quá dài",
    "string_pattern_mismatch": "khóa chống gửi trùng gồm 8–64 ký tự chữ, số, - hoặc _",
    "datetime_type": "thời điểm phải theo ISO 8601",
    "datetime_parsing": "thời điểm phải theo ISO 8601",
    "timezone_aware": "thời điểm phải có múi giờ",
    "dict_type": "phải là một đối tượng JSON",
    "model_type": "nội dung phải là một đối tượng JSON",
    "json_invalid": "nội dung không phải JSON hợp lệ",
}


def explain(errors: Sequence[Any]) -> list[dict[str, str]]:
    """pydantic/FastAPI errors as [{"field", "message", "type"}] in Vietnamese."""
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "[key]")]
        kind = str(err.get("type", ""))
        if kind == "value_error":
            message = str(err.get("ctx", {}).get("error", err.get("msg", "")))
        else:
            message = _MESSAGES.get(kind, str(err.get("msg", "không hợp lệ")))
        out.append({"field": ".".join(loc), "message": message, "type": kind})
    return out
