"""Take the README's screenshots from a running demo (`make demo` in another terminal).

    .venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]

Writes docs/screenshots/*.png with Debian's Chromium.
"""

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = [
    # (file, account, path)
    ("login.png", None, "/login/"),
    ("clerk-home.png", "clerk", "/"),
    ("county-centers.png", "county", "/centers/"),
    ("workdays.png", "clerk", "/workdays/?mode=add&start=2026-09-30&days=3"),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        for name, account, path in SHOTS:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
            page = context.new_page()
            if account:
                page.goto(BASE + "/login/")
                page.get_by_label("账号").fill(account)
                page.get_by_label("密码").fill("Bianmin@2026")
                page.get_by_role("button", name="登录").click()
                page.wait_for_url(BASE + "/")
            page.goto(BASE + path)
            page.screenshot(path=str(OUT / name), full_page=False)
            context.close()
            print("wrote", OUT / name)
        browser.close()


if __name__ == "__main__":
    main()
