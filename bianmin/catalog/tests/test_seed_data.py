"""The seed catalogue (data/catalogue.json): its shape, its rules, and that it is built from seed/.

Plain checks on the JSON file, no database: the shape and choices of data/FORMAT.md, 法定时限 and
承诺时限, 申请材料 and 容缺受理, 一件事 bundles, and the items every township center must find.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bianmin.catalog.data.seed.build import OUTPUT, build_catalogue, render

DATA = Path(__file__).resolve().parent.parent / "data"
SEED = DATA / "seed"

# The choices of FORMAT.md.
WINDOW_GROUPS = {"social_security", "social_assistance", "other"}
ITEM_TYPES = {
    "administrative_license",
    "administrative_confirmation",
    "administrative_payment",
    "administrative_ruling",
    "administrative_reward",
    "other_administrative_power",
    "public_service",
}
HANDLING_LEVELS = {"township", "county"}
FREQUENCIES = {"high", "low", "seasonal", "forwarded"}
SERVICE_OBJECTS = {"person", "organisation"}
CHANNELS = {"window", "online", "kiosk", "post"}
CROSS_REGIONS = {"", "cross_province", "yangtze_delta"}
NECESSITIES = {"required", "conditional", "optional"}
MATERIAL_FORMS = {"original", "copy", "original_and_copy", "electronic"}
SOURCE_CHANNELS = {"applicant", "government", "other"}
RESULT_TYPES = {"certificate", "approval_document", "record", "payment", "other"}

# The keys of FORMAT.md, exactly.
TOP_KEYS = ["version", "source_note", "domains", "items", "bundles"]
DOMAIN_KEYS = ["code", "name", "full_name", "department_suffix", "window_group"]
ITEM_KEYS = [
    "basic_code",
    "name",
    "domain",
    "item_type",
    "legal_basis",
    "handling_level",
    "frequency",
    "service_object",
    "channels",
    "supports_appointment",
    "supports_express",
    "supports_online_payment",
    "cross_region",
    "life_events",
    "guide",
]
GUIDE_KEYS = [
    "conditions",
    "materials",
    "steps",
    "special_steps",
    "statutory_days",
    "promised_days",
    "allows_deferral",
    "fees",
    "visits",
    "result_type",
    "result_name",
    "faq",
]
MATERIAL_KEYS = [
    "name",
    "necessity",
    "condition_note",
    "form",
    "paper_copies",
    "specification",
    "source_channel",
    "source_note",
    "acceptance_standard",
    "basis",
    "notes",
    "deferrable",
]
STEP_KEYS = ["name", "description", "days"]
SPECIAL_STEP_KEYS = ["name", "description", "days", "counts_in_limit"]
FEE_KEYS = ["name", "standard", "basis", "exemption"]
FAQ_KEYS = ["question", "answer"]
BUNDLE_KEYS = ["code", "name", "life_event", "description", "items"]

MUST_HAVE = [
    "城乡居民基本养老保险参保登记",
    "城乡居民养老保险待遇申领",
    "社会保障卡启用",
    "社会保障卡密码修改与重置",
    "社会保障卡注销",
    "城乡居民基本医疗保险参保登记",
    "异地就医备案",
    "医疗救助",
    "最低生活保障对象认定",
    "特困人员认定",
    "临时救助",
    "高龄津贴申领",
    "困难残疾人生活补贴和重度残疾人护理补贴",
    "第二代残疾人证申请（转报）",
    "生育登记",
    "独生子女父母光荣证核发",
    "农村部分计划生育家庭奖励扶助",
    "计划生育家庭特别扶助",
    "退役军人优待证申领",
    "受灾人员冬春生活救助",
    "法律援助申请",
    "居住证办理（转报）",
    "个体工商户登记",
    "就业困难人员认定",
    "失业登记",
    "孤儿基本生活费",
    "事实无人抚养儿童认定",
    "农村宅基地申请审批",
    "乡村建设规划许可",
]
MUST_HAVE_BUNDLES = [
    "新生儿出生一件事",
    "退休一件事",
    "残疾人服务一件事",
    "身后事一件事",
    "就业创业一件事",
    "困难群众救助一件事",
]
# Secondary materials: the only ones 容缺受理 may defer.
IDENTITY_DOCUMENTS = re.compile(r"身份证|户口簿|户口本")


@pytest.fixture(scope="module")
def catalogue() -> dict:
    return json.loads(OUTPUT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def items(catalogue) -> list[dict]:
    return catalogue["items"]


@pytest.fixture(scope="module")
def by_name(items) -> dict[str, dict]:
    return {i["name"]: i for i in items}


def materials_of(items):
    for item in items:
        for material in item["guide"]["materials"]:
            yield item, material


# --- The file and its shape ---------------------------------------------------------------------


def test_the_catalogue_file_is_what_the_seed_modules_build_now(catalogue):
    assert catalogue == build_catalogue(), "run: python -m bianmin.catalog.data.seed.build"
    assert OUTPUT.read_text(encoding="utf-8") == render(build_catalogue())


def test_the_seed_modules_stay_small():
    for path in SEED.glob("*.py"):
        assert path.stat().st_size < 25_000, path.name


def test_the_catalogue_has_exactly_the_shape_of_format_md(catalogue):
    assert list(catalogue) == TOP_KEYS and catalogue["version"] == 1 and catalogue["source_note"]
    assert all(list(d) == DOMAIN_KEYS for d in catalogue["domains"])
    assert all(list(b) == BUNDLE_KEYS for b in catalogue["bundles"])
    for item in catalogue["items"]:
        guide = item["guide"]
        assert list(item) == ITEM_KEYS, item["name"]
        assert list(guide) == GUIDE_KEYS, item["name"]
        assert all(list(m) == MATERIAL_KEYS for m in guide["materials"]), item["name"]
        assert all(list(s) == STEP_KEYS for s in guide["steps"]), item["name"]
        assert all(list(s) == SPECIAL_STEP_KEYS for s in guide["special_steps"]), item["name"]
        assert all(list(f) == FEE_KEYS for f in guide["fees"]), item["name"]
        assert all(list(q) == FAQ_KEYS for q in guide["faq"]), item["name"]


# --- Domains and items ----------------------------------------------------------------------------


def test_the_catalogue_has_at_least_60_items_over_10_domains(catalogue):
    assert len(catalogue["items"]) >= 60
    assert len(catalogue["domains"]) >= 10
    assert len({i["domain"] for i in catalogue["items"]}) >= 10


def test_domains_have_unique_codes_and_names_and_a_known_window_group(catalogue):
    domains = catalogue["domains"]
    assert len({d["code"] for d in domains}) == len(domains)
    assert len({d["name"] for d in domains}) == len(domains)
    for d in domains:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", d["code"]), d["code"]
        assert d["window_group"] in WINDOW_GROUPS, d["code"]
        assert d["full_name"] and d["department_suffix"], d["code"]


def test_every_item_belongs_to_a_declared_domain(catalogue):
    codes = {d["code"] for d in catalogue["domains"]}
    assert {i["domain"] for i in catalogue["items"]} <= codes


def test_basic_codes_are_unique_and_at_most_12_characters(items):
    codes = [i["basic_code"] for i in items]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert re.fullmatch(r"[A-Za-z0-9-]{1,12}", code), code


def test_item_names_are_unique(items):
    assert len({i["name"] for i in items}) == len(items)


def test_every_item_uses_only_the_choices_of_format_md(items):
    for item in items:
        assert item["item_type"] in ITEM_TYPES, item["name"]
        assert item["handling_level"] in HANDLING_LEVELS, item["name"]
        assert item["frequency"] in FREQUENCIES, item["name"]
        assert item["service_object"] and set(item["service_object"]) <= SERVICE_OBJECTS
        assert item["channels"] and set(item["channels"]) <= CHANNELS, item["name"]
        assert item["cross_region"] in CROSS_REGIONS, item["name"]
        assert item["legal_basis"], item["name"]
        for flag in ("supports_appointment", "supports_express", "supports_online_payment"):
            assert isinstance(item[flag], bool), item["name"]
        guide = item["guide"]
        assert guide["result_type"] in RESULT_TYPES and guide["result_name"], item["name"]
        for _item, material in materials_of([item]):
            assert material["necessity"] in NECESSITIES, (item["name"], material["name"])
            assert material["form"] in MATERIAL_FORMS, (item["name"], material["name"])
            assert material["source_channel"] in SOURCE_CHANNELS, (item["name"], material["name"])


def test_forwarded_items_are_decided_at_county_level(items):
    for item in items:
        if item["frequency"] == "forwarded":
            assert item["handling_level"] == "county", item["name"]
        if item["handling_level"] == "county":
            assert item["frequency"] in {"forwarded", "seasonal"}, item["name"]


def test_the_catalogue_mixes_every_frequency_class(items):
    assert {i["frequency"] for i in items} == FREQUENCIES


def test_off_site_medical_filing_is_handled_across_provinces(by_name, items):
    assert by_name["异地就医备案"]["cross_region"] == "cross_province"
    assert sum(i["cross_region"] == "cross_province" for i in items) >= 2


def test_the_must_have_township_items_are_present(by_name):
    assert [name for name in MUST_HAVE if name not in by_name] == []


# --- Guides: time limits, materials, 容缺受理 --------------------------------------------------


def test_the_promised_time_limit_never_exceeds_the_statutory_one(items):
    for item in items:
        guide = item["guide"]
        statutory, promised = guide["statutory_days"], guide["promised_days"]
        assert isinstance(promised, int) and 0 <= promised <= 365, item["name"]
        # The loader requires a note when the statutory limit is null: FORMAT.md has none.
        assert isinstance(statutory, int), item["name"]
        assert promised <= statutory, item["name"]


def test_the_steps_that_count_fit_in_the_promised_time_limit(items):
    for item in items:
        guide = item["guide"]
        counted = sum(s["days"] for s in guide["steps"]) + sum(
            s["days"] for s in guide["special_steps"] if s["counts_in_limit"]
        )
        assert counted <= guide["promised_days"], item["name"]


def test_every_guide_is_complete(items):
    for item in items:
        guide = item["guide"]
        assert guide["conditions"], item["name"]
        assert 2 <= len(guide["materials"]) <= 8, item["name"]
        assert guide["steps"], item["name"]
        assert all(s["name"] and s["description"] and s["days"] >= 0 for s in guide["steps"])
        assert all(
            s["name"] and s["description"] and isinstance(s["counts_in_limit"], bool)
            for s in guide["special_steps"]
        ), item["name"]
        assert guide["visits"] in (0, 1, 2), item["name"]
        assert 1 <= len(guide["faq"]) <= 3, item["name"]
        assert all(q["question"] and q["answer"] for q in guide["faq"]), item["name"]


def test_a_fee_names_its_standard_and_basis(items):
    for item in items:
        for fee in item["guide"]["fees"]:
            assert fee["name"] and fee["standard"] and fee["basis"], item["name"]


def test_every_material_states_its_form_necessity_and_source_channel(items):
    for item, material in materials_of(items):
        where = (item["name"], material["name"])
        assert material["name"] and material["form"] and material["necessity"], where
        assert material["source_channel"] and material["source_note"], where
        assert material["acceptance_standard"], where
        if material["necessity"] == "conditional":
            assert material["condition_note"], where
        if material["form"] in ("copy", "original_and_copy"):
            assert material["paper_copies"] > 0 and material["specification"], where
        if material["form"] == "electronic":
            assert material["paper_copies"] == 0, where


def test_every_guide_asks_for_at_least_one_required_material(items):
    for item in items:
        assert any(m["necessity"] == "required" for m in item["guide"]["materials"]), item["name"]


def test_deferred_materials_only_on_items_that_allow_deferral(items):
    for item, material in materials_of(items):
        if material["deferrable"]:
            assert item["guide"]["allows_deferral"], (item["name"], material["name"])


def test_a_deferred_material_is_secondary_never_an_identity_document(items):
    for item, material in materials_of(items):
        if material["deferrable"]:
            assert not IDENTITY_DOCUMENTS.search(material["name"]), (item["name"], material["name"])


def test_a_deferred_material_is_never_the_only_required_one(items):
    for item in items:
        required = [m for m in item["guide"]["materials"] if m["necessity"] == "required"]
        assert any(not m["deferrable"] for m in required), item["name"]


def test_an_item_that_allows_deferral_names_a_deferrable_material(items):
    for item in items:
        if item["guide"]["allows_deferral"]:
            assert any(m["deferrable"] for m in item["guide"]["materials"]), item["name"]


def test_the_old_age_allowance_accepts_a_deferred_bank_card(by_name):
    guide = by_name["高龄津贴申领"]["guide"]
    assert guide["allows_deferral"]
    cards = [m for m in guide["materials"] if m["name"] == "银行卡（折）复印件"]
    assert len(cards) == 1 and cards[0]["deferrable"] and cards[0]["necessity"] == "required"


def test_the_published_facts_are_kept(by_name):
    assert by_name["社会保障卡注销"]["guide"]["promised_days"] == 1
    assert by_name["临时救助"]["guide"]["promised_days"] == 15
    minimum = by_name["最低生活保障对象认定"]["guide"]
    assert minimum["promised_days"] <= 25
    assert any(s["name"] == "公示" and s["days"] == 7 for s in minimum["special_steps"])
    card = by_name["第二代残疾人证申请（转报）"]
    assert card["handling_level"] == "county" and card["guide"]["fees"] == []
    materials = {m["name"]: m for m in card["guide"]["materials"]}
    for name in ("居民身份证", "户口簿"):
        assert materials[name]["form"] == "original_and_copy"
        assert materials[name]["paper_copies"] == 1
    assert materials["近期2寸白底免冠彩色照片"]["paper_copies"] == 3


# --- 一件事 bundles --------------------------------------------------------------------------------


def test_there_are_at_least_five_bundles_each_of_two_existing_items(catalogue, items):
    bundles = catalogue["bundles"]
    codes = {i["basic_code"] for i in items}
    assert len(bundles) >= 5
    assert len({b["code"] for b in bundles}) == len(bundles)
    for b in bundles:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", b["code"]), b["code"]
        assert len(set(b["items"])) == len(b["items"]) >= 2, b["code"]
        assert set(b["items"]) <= codes, b["code"]
        assert b["name"] and b["life_event"] and b["description"], b["code"]


def test_the_must_have_bundles_are_present(catalogue):
    names = {b["name"] for b in catalogue["bundles"]}
    assert [name for name in MUST_HAVE_BUNDLES if name not in names] == []


def test_a_bundle_groups_exactly_the_items_tagged_with_its_life_event(catalogue, items):
    for b in catalogue["bundles"]:
        tagged = {i["basic_code"] for i in items if b["life_event"] in i["life_events"]}
        assert tagged == set(b["items"]), b["code"]
