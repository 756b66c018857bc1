"""Screenshots of every console page at 1366×768 on the 90-day demo province, for the README.

Usage:
    .venv/bin/python bench/console_screenshots.py [--dir /tmp/console_bench]
        [--out docs/screenshots] [--role inspector]

The demo database is the one bench/console.py uses (built the same way when missing: ``motcua
init``, ``motcua demo --days 90 --seed 2025``, ``motcua evaluate``, ``motcua feedback
classify``, ``motcua alerts evaluate``, the demo accounts). A real ``streamlit run app.py``
serves it on loopback; Debian's Chromium signs in with the demo account of the role and opens
each page from the sidebar, waiting until Streamlit has finished drawing it. The inspector is
the default: every unit and every page, personal data masked. Writes ``console-login.png``,
``console-<page>.png`` for each page the role may open and ``console-dossier.png`` (the
timeline of the most urgent dossier of the late list).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# This directory holds console.py: it must not shadow the ``console`` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from console_server import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    console_server,
    open_choices,
    open_page,
    read_logins,
    sign_in,
    wait_for_page,
    wait_idle,
)


def _bench() -> Any:
    """bench/console.py (databases, the page list), loaded under a name of its own."""
    spec = importlib.util.spec_from_file_location("bench_console", ROOT / "bench" / "console.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_console"] = module
    spec.loader.exec_module(module)
    return module


def slug(script: str) -> str:
    """console/alerts_inbox.py → alerts-inbox."""
    return Path(script).stem.replace("_", "-")


def shoot(page: Any, path: Path) -> None:
    # The pointer rests outside the sidebar, so no link is drawn hovered.
    page.mouse.move(VIEWPORT["width"] - 5, VIEWPORT["height"] - 5)
    page.screenshot(path=str(path))
    print(f"  {path}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/console_bench"))
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--role", default="inspector", choices=("supervisor", "inspector", "admin"))
    args = parser.parse_args()
    bench = _bench()
    demo = bench.DATASETS["demo"]
    bench.prepare(demo, args.dir)
    env = bench.database_env(demo.db(args.dir), demo.data_dir(args.dir))
    username, password = read_logins(demo.data_dir(args.dir))[args.role]
    pages = [p for p in bench.app_pages() if args.role in p.roles]
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with console_server(env) as console, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        page.set_default_timeout(120_000)
        page.goto(console.url)
        page.get_by_label("Tên đăng nhập").wait_for()
        wait_idle(page)
        shoot(page, args.out / "console-login.png")
        sign_in(page, console.url, username, password)
        for spec in pages:
            open_page(page, spec.title)
            shoot(page, args.out / f"console-{slug(spec.script)}.png")
        late = next(spec for spec in pages if spec.script.endswith("late.py"))
        open_page(page, late.title)
        dossier_timeline(page)
        shoot(page, args.out / "console-dossier.png")
        browser.close()


def dossier_timeline(page: Any) -> None:
    """Open the most urgent dossier of the late list and bring its timeline to the top."""
    main = page.locator("[data-testid='stMain']")
    picker = main.get_by_role("combobox", name="Xem tiến trình hồ sơ trong danh sách")
    code = open_choices(page, picker)[1]  # the first is "— chọn hồ sơ —"
    page.get_by_role("option", name=code, exact=True).click()
    heading = main.get_by_role("heading", name=f"Hồ sơ {code}")
    wait_for_page(page, f"Hồ sơ {code}")
    heading.evaluate("e => e.scrollIntoView({block: 'start'})")
    wait_idle(page)


if __name__ == "__main__":
    main()
