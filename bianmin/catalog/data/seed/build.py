"""Build ``bianmin/catalog/data/catalogue.json`` from the seed modules.

Run from the repository root::

    .venv/bin/python -m bianmin.catalog.data.seed.build
    .venv/bin/python bianmin/catalog/data/seed/build.py

``build_catalogue()`` returns the dict; the tests compare it with the committed JSON, so that
the JSON never drifts from the modules an engineer edits.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

PACKAGE = "bianmin.catalog.data.seed"
OUTPUT = Path(__file__).resolve().parent.parent / "catalogue.json"

# The order of domains (windows list them in this order) and of the items inside them. A module
# without DOMAIN adds items to the domain of the module before it (a domain split over files).
MODULES = (
    "renshe",
    "renshe_card",
    "renshe_jiuye",
    "yibao",
    "weijian",
    "jisheng",
    "tuiyi",
    "minzheng",
    "minzheng_laoling",
    "canlian",
    "yingji",
    "shichang",
    "sifa",
    "gongan",
    "nongye",
    "ziran",
    "zhujian",
)

SOURCE_NOTE = (
    "依据国家政务服务事项基本目录和实施清单要素（GB/T 39554.1-2020），参照安徽省六安市所辖乡镇（街道）"
    "便民服务中心公开的办事指南，以及相关法律、行政法规、部门规章和规范性文件整理。"
    "基本编码按12位格式编排，以省级政务服务平台公布的编码为准；办理地点、时间和咨询、投诉电话"
    "由各便民服务中心自行维护。"
)


def build_catalogue() -> dict:
    """The whole seed catalogue, in the shape of ``FORMAT.md``."""
    domains: list[dict] = []
    items: list[dict] = []
    for name in MODULES:
        module = importlib.import_module(f"{PACKAGE}.{name}")
        domain = getattr(module, "DOMAIN", None)
        if domain is not None and domain not in domains:
            domains.append(domain)
        items.extend(module.ITEMS)
    bundles = importlib.import_module(f"{PACKAGE}.bundles").BUNDLES
    return {
        "version": 1,
        "source_note": SOURCE_NOTE,
        "domains": domains,
        "items": items,
        "bundles": bundles,
    }


def render(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    data = build_catalogue()
    OUTPUT.write_text(render(data), encoding="utf-8")
    print(
        f"{OUTPUT.name}: {len(data['items'])} items, {len(data['domains'])} domains, "
        f"{len(data['bundles'])} bundles"
    )


if __name__ == "__main__":
    if not __package__:  # run as a script: make the repository root importable
        sys.path.insert(0, str(Path(__file__).resolve().parents[4]))
    main()
