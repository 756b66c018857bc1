"""Typed settings, declared once with default and help.

Sources, later ones winning: the defaults below, ``motcua.toml`` (path from ``MOTCUA_CONFIG``,
else ``./motcua.toml``), then environment variables ``MOTCUA_<NAME>``.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

SECRET_MARK = "••••••"


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names the setting."""


def _setting(
    default: Any, help: str, *, secret: bool = False, choices: tuple[str, ...] = ()
) -> Any:
    return field(default=default, metadata={"help": help, "secret": secret, "choices": choices})


@dataclass(frozen=True)
class Settings:
    data_dir: str = _setting("data", "Thư mục dữ liệu (CSDL SQLite, mô hình, tệp xuất).")
    database_url: str = _setting(
        "", "URL CSDL SQLAlchemy; trống = SQLite tại <data_dir>/motcua.db.", secret=True
    )
    office_hours: str = _setting(
        "07:00-11:30,13:30-17:00", "Giờ làm việc trong ngày, các ca cách nhau bởi dấu phẩy."
    )
    paper_cutoff: str = _setting(
        "15:00", "Hồ sơ giấy nhận sau giờ này được chuyển xử lý từ ngày làm việc tiếp theo."
    )
    due_soon_working_days: int = _setting(
        1, "Hồ sơ 'sắp đến hạn' khi hạn trả trong số ngày làm việc này."
    )
    supplement_policy: str = _setting(
        "national",
        "Cách tính thời gian khi yêu cầu bổ sung: national (trừ thời gian chờ công dân) "
        "hoặc legal (tính lại từ đầu, NĐ 61/2018 điều 19.4).",
        choices=("national", "legal"),
    )
    apology_due_basis: str = _setting(
        "original",
        "Hồ sơ có phiếu xin lỗi hợp lệ được xét đúng/trễ hạn theo: original (ngày hẹn trả ban "
        "đầu; vi phạm vẫn ghi nhận) hoặc reset (ngày hẹn lại trên phiếu xin lỗi).",
        choices=("original", "reset"),
    )
    rating_link_secret: str = _setting(
        "", "Khóa HMAC ký đường dẫn đánh giá; trống = tự sinh và lưu trong data_dir.", secret=True
    )
    rating_link_ttl_days: int = _setting(60, "Số ngày đường dẫn đánh giá còn hiệu lực.")
    ratings_url: str = _setting(
        "http://localhost:8502",
        "Địa chỉ công khai của dịch vụ đánh giá (đường dẫn và mã QR in trên phiếu hẹn).",
    )
    ratings_device_per_minute: int = _setting(
        30,
        "Số đánh giá tối đa mỗi phút từ một thiết bị kiosk (vượt: HTTP 429; 0 = không giới hạn).",
    )
    ratings_address_per_minute: int = _setting(
        20,
        "Số yêu cầu tới biểu mẫu trực tuyến mỗi phút từ một IP (429 khi vượt; 0 = không giới hạn).",
    )
    ratings_import_dir: str = _setting(
        "", "Thư mục lịch chạy đọc các tệp CSV đánh giá từ hệ thống khác; trống = không nhập."
    )
    console_url: str = _setting("http://localhost:8501", "Địa chỉ công khai của bảng điều khiển.")
    console_port: int = _setting(8501, "Cổng của bảng điều khiển (Streamlit).")
    ratings_port: int = _setting(8502, "Cổng của dịch vụ đánh giá (kiosk, biểu mẫu trực tuyến).")
    demo_source_port: int = _setting(8503, "Cổng của hệ thống một cửa mô phỏng.")
    collect_page_size: int = _setting(500, "Số hồ sơ mỗi trang khi kéo dữ liệu từ nguồn HTTP.")
    collect_timeout_seconds: int = _setting(
        30, "Thời gian chờ tối đa (giây) cho mỗi yêu cầu tới nguồn HTTP."
    )
    collect_attempts: int = _setting(
        4, "Số lần thử mỗi yêu cầu tới nguồn HTTP (thử lại khi lỗi mạng, quá thời gian, 5xx)."
    )
    smtp_host: str = _setting("", "Máy chủ SMTP gửi thư cảnh báo; trống = không gửi thư.")
    smtp_port: int = _setting(25, "Cổng SMTP.")
    smtp_security: str = _setting(
        "none", "Bảo mật SMTP: none, starttls hoặc ssl.", choices=("none", "starttls", "ssl")
    )
    smtp_user: str = _setting("", "Tài khoản SMTP.")
    smtp_password: str = _setting("", "Mật khẩu SMTP.", secret=True)
    smtp_from: str = _setting("motcua-monitor@localhost", "Địa chỉ người gửi thư cảnh báo.")
    webhook_secret: str = _setting("", "Khóa HMAC-SHA256 ký webhook cảnh báo.", secret=True)
    alert_group_interval_minutes: int = _setting(
        15, "Mỗi người nhận nhận nhiều nhất một thư cảnh báo gộp trong khoảng (phút) này."
    )
    alert_repeat_working_hours: int = _setting(
        8, "Nhắc lại cảnh báo chưa được xác nhận sau số giờ làm việc này (0 = không nhắc)."
    )
    alert_escalation_working_hours: int = _setting(
        4, "Chuyển cảnh báo chưa xác nhận lên đơn vị cấp trên sau số giờ làm việc này (0 = không)."
    )
    notify_max_attempts: int = _setting(
        10, "Số lần gửi thử tối đa một thông báo trước khi bỏ (lần sau chờ gấp đôi lần trước)."
    )
    notify_retry_seconds: int = _setting(60, "Thời gian chờ (giây) trước lần gửi lại đầu tiên.")
    channel_disable_after_failures: int = _setting(
        20, "Tắt một kênh thông báo sau số lần gửi lỗi liên tiếp này và báo quản trị viên."
    )
    digest_time: str = _setting("07:30", "Giờ gửi bản tin buổi sáng (các ngày làm việc).")
    retrain_model_dir: str = _setting(
        "",
        "Thư mục các mô hình phân loại phản ánh huấn luyện lại từ nhãn đã sửa; trống = "
        "<data_dir>/runtime/models/feedback. Khi chưa có mô hình nào ở đó, dùng mô hình kèm theo.",
    )
    retrain_time: str = _setting(
        "02:00", "Giờ huấn luyện lại mô hình phân loại phản ánh mỗi đêm (giờ Việt Nam)."
    )
    session_timeout_minutes: int = _setting(30, "Phiên đăng nhập hết hạn sau số phút không dùng.")
    login_max_failures: int = _setting(5, "Số lần đăng nhập sai trước khi khóa tài khoản.")
    login_lockout_minutes: int = _setting(
        15, "Số phút khóa tài khoản sau khi đăng nhập sai nhiều lần."
    )
    demo_days: int = _setting(90, "Số ngày lịch sử của tỉnh mô phỏng khi khởi tạo dữ liệu demo.")
    demo_seed: int = _setting(2025, "Hạt giống ngẫu nhiên của tỉnh mô phỏng.")
    log_level: str = _setting(
        "INFO", "Mức ghi nhật ký.", choices=("DEBUG", "INFO", "WARNING", "ERROR")
    )

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_path / 'motcua.db'}"

    @property
    def office_shifts(self) -> tuple[tuple[time, time], ...]:
        return _parse_shifts(self.office_hours)

    @property
    def paper_cutoff_time(self) -> time:
        return _parse_time("paper_cutoff", self.paper_cutoff)

    @property
    def digest_clock(self) -> time:
        return _parse_time("digest_time", self.digest_time)

    @property
    def retrain_clock(self) -> time:
        return _parse_time("retrain_time", self.retrain_time)


def _parse_time(name: str, text: str) -> time:
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise SettingsError(f"Cấu hình '{name}': '{text}' không phải giờ dạng HH:MM.")
    return time(int(m[1]), int(m[2]))


def _parse_shifts(text: str) -> tuple[tuple[time, time], ...]:
    shifts: list[tuple[time, time]] = []
    for part in text.split(","):
        start, sep, end = part.partition("-")
        if not sep:
            raise SettingsError(f"Cấu hình 'office_hours': '{part}' phải có dạng HH:MM-HH:MM.")
        a, b = _parse_time("office_hours", start), _parse_time("office_hours", end)
        if b <= a or (shifts and a < shifts[-1][1]):
            raise SettingsError(f"Cấu hình 'office_hours': ca '{part}' không hợp lệ.")
        shifts.append((a, b))
    return tuple(shifts)


def _coerce(f: dataclasses.Field[Any], raw: Any) -> Any:
    kind = f.type if isinstance(f.type, str) else f.type.__name__
    if kind == "int":
        if isinstance(raw, bool) or not re.fullmatch(r"-?\d+", str(raw).strip()):
            raise SettingsError(f"Cấu hình '{f.name}': '{raw}' không phải số nguyên.")
        value: Any = int(str(raw).strip())
        if value < 0:
            raise SettingsError(f"Cấu hình '{f.name}': giá trị không được âm.")
        return value
    value = str(raw)
    choices = f.metadata["choices"]
    if choices and value not in choices:
        raise SettingsError(
            f"Cấu hình '{f.name}': '{value}' không hợp lệ; chọn một trong {', '.join(choices)}."
        )
    return value


def _validate(s: Settings) -> None:
    s.office_shifts  # noqa: B018 - parse to surface errors at start-up
    s.paper_cutoff_time  # noqa: B018
    s.digest_clock  # noqa: B018
    s.retrain_clock  # noqa: B018
    url = s.effective_database_url
    if not re.match(r"^(sqlite|postgresql)(\+\w+)?://", url):
        raise SettingsError(
            "Cấu hình 'database_url' (MOTCUA_DATABASE_URL): chỉ hỗ trợ sqlite:/// hoặc "
            "postgresql+psycopg://..."
        )


def config_file_path(env: Mapping[str, str] | None = None) -> Path:
    source = os.environ if env is None else env
    return Path(source.get("MOTCUA_CONFIG", "motcua.toml"))


def read_config_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"Tệp cấu hình {path} không đọc được: {exc}") from exc


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read defaults, then motcua.toml, then MOTCUA_* variables; raise SettingsError if bad."""
    env = dict(os.environ if env is None else env)
    file_values = read_config_file(config_file_path(env))
    values: dict[str, Any] = {}
    for f in dataclasses.fields(Settings):
        raw: Any = file_values.get(f.name)
        env_raw = env.get(f"MOTCUA_{f.name.upper()}")
        if env_raw is not None:
            raw = env_raw
        if raw is not None:
            values[f.name] = _coerce(f, raw)
    settings = Settings(**values)
    _validate(settings)
    return settings


def describe(settings: Settings) -> list[dict[str, Any]]:
    """The effective settings with secrets hidden, for ``motcua config show``."""
    rows = []
    for f in dataclasses.fields(Settings):
        value = getattr(settings, f.name)
        if f.metadata["secret"] and value:
            value = _hide(f.name, value)
        rows.append(
            {
                "name": f.name,
                "env": f"MOTCUA_{f.name.upper()}",
                "value": value,
                "default": f.default,
                "help": f.metadata["help"],
            }
        )
    return rows


def _hide(name: str, value: str) -> str:
    if name == "database_url":
        return re.sub(r"://([^:/@]+):[^@]*@", rf"://\1:{SECRET_MARK}@", value)
    return SECRET_MARK
