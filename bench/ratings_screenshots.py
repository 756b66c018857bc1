"""Screenshots of the kiosk and the online form at 1280×800, for the README.

Usage:
    .venv/bin/python bench/ratings_screenshots.py [--out docs/screenshots]

A fresh SQLite database gets the small centre of the rating tests (tests/surveys_helpers.py:
a centre, an agency, an officer on duty at "Quầy 3", dossiers, a kiosk device); a real
``motcua ratings-web`` serves it on loopback and Debian's Chromium opens the kiosk (set up with
the device token, a dossier code typed, the first question on screen: ``kiosk.png``) and the
online form behind a signed link (``online-form.png``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from surveys_helpers import CODES, SECRET, Centre, make_centre, settings_for  # noqa: E402
from surveys_server import ratings_server  # noqa: E402

from monitor import migrate  # noqa: E402
from monitor.db import make_engine  # noqa: E402
from monitor.models import utcnow  # noqa: E402
from surveys.links import make_link  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 800}


def kiosk(page: Any, base: str, centre: Centre, out: Path) -> None:
    page.goto(f"{base}/kiosk#setup")
    page.fill("#setup-token", centre.token)
    page.click("#setup-save")
    page.wait_for_selector("#screen-start:not([hidden])")
    page.fill("#dossier-code", CODES[0])
    page.click("#code-next")
    page.wait_for_selector("#screen-question:not([hidden])")
    page.mouse.move(VIEWPORT["width"] - 5, VIEWPORT["height"] - 5)  # nothing drawn hovered
    page.screenshot(path=str(out / "kiosk.png"))


def online_form(page: Any, base: str, tmp: Path, out: Path) -> None:
    link = make_link(settings_for(tmp, "sqlite://", ratings_url=base), CODES[1], utcnow())
    page.goto(link.url)
    page.wait_for_selector("form.rating-form")
    page.mouse.move(VIEWPORT["width"] - 5, VIEWPORT["height"] - 5)
    page.screenshot(path=str(out / "online-form.png"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="motcua-shots-") as name:
        tmp = Path(name)
        url = f"sqlite:///{tmp / 'motcua.db'}"
        engine = make_engine(url)
        migrate.upgrade(engine)
        centre = make_centre(engine)
        env = {
            "MOTCUA_DATABASE_URL": url,
            "MOTCUA_DATA_DIR": str(tmp / "data"),
            "MOTCUA_CONFIG": str(tmp / "none.toml"),
            "MOTCUA_RATING_LINK_SECRET": SECRET,
        }
        with ratings_server(env) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport=VIEWPORT)
            kiosk(page, base, centre, args.out)
            online_form(page, base, tmp, args.out)
            browser.close()
        engine.dispose()
    print(f"{args.out / 'kiosk.png'}\n{args.out / 'online-form.png'}")


if __name__ == "__main__":
    main()
