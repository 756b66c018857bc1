"""A real console (``streamlit run app.py``) on a free loopback port, and the few browser steps
every console script needs: sign in, open a page from the sidebar, wait until Streamlit has
finished drawing it. Used by the end-to-end test, the screenshots and the console benchmark.

Streamlit draws asynchronously over a websocket, so "done" is read from the attributes its
frontend keeps on the app root: connected, and the script no longer running.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import ViewportSize

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = ViewportSize(width=1366, height=768)
APP_IDLE = (
    "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
    "[data-test-script-state='notRunning']"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Console:
    url: str
    pid: int

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the console process has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def console_server(env: dict[str, str], timeout: float = 60.0) -> Iterator[Console]:
    """Run the console with ``env`` (MOTCUA_* settings) added; yield where it is; stop it."""
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    proc = subprocess.Popen(
        argv,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(proc, base, timeout)
        yield Console(base, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_healthy(proc: subprocess.Popen[bytes], base: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise RuntimeError(f"streamlit exited with {proc.returncode}: {err[-2000:]}")
        try:
            if httpx.get(f"{base}/_stcore/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("the console did not start in time")
        time.sleep(0.2)


def wait_idle(page: Any, timeout: float = 60_000) -> None:
    """Until the app is connected and no script run is under way."""
    page.wait_for_selector(APP_IDLE, state="attached", timeout=timeout)


def wait_for_page(page: Any, heading: str, timeout: float = 60_000) -> None:
    """Until the page titled ``heading`` is drawn and its script has finished."""
    main = page.locator("[data-testid='stMain']")
    main.get_by_role("heading", name=heading, exact=False).first.wait_for(timeout=timeout)
    wait_idle(page, timeout)
    # Elements of the previous run fade ("stale") until the new run replaces them.
    page.wait_for_selector(
        "[data-testid='stMain'] [data-stale='true']", state="detached", timeout=timeout
    )


def sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(base)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("button", name="Đăng xuất").wait_for(timeout=60_000)
    wait_idle(page)


def open_page(page: Any, title: str, heading: str | None = None, timeout: float = 60_000) -> None:
    """Follow the sidebar link ``title`` and wait for the page (its heading defaults to the
    title) to be drawn."""
    nav = page.locator("[data-testid='stSidebarNav']")
    nav.get_by_role("link", name=title, exact=False).first.click()
    wait_for_page(page, heading or title, timeout)


def open_choices(page: Any, combobox: Any) -> list[str]:
    """Open a selectbox's list and return its options' texts. The box is scrolled into view
    first: its list closes again when the page scrolls under it."""
    combobox.scroll_into_view_if_needed()
    combobox.click()
    page.get_by_role("listbox").wait_for()
    return list(page.get_by_role("option").all_inner_texts())


def close_choices(page: Any) -> None:
    page.keyboard.press("Escape")
    page.get_by_role("listbox").wait_for(state="detached")


def choose(page: Any, combobox: Any, option: str) -> None:
    open_choices(page, combobox)
    page.get_by_role("option", name=option, exact=True).click()


def read_logins(data_dir: Path) -> dict[str, tuple[str, str]]:
    """The demo accounts written by ``ensure_demo_accounts``: role → (username, password)."""
    logins: dict[str, tuple[str, str]] = {}
    for line in (data_dir / "demo-logins.txt").read_text(encoding="utf-8").splitlines()[1:]:
        username, role, password = line.split()
        logins[role] = (username, password)
    return logins
