"""Builders shared by the domain modules, so that each entry is written once and in full.

Every builder returns a plain dict in exactly the shape of ``../FORMAT.md`` (all keys, in order).
Materials asked by many items (居民身份证, 户口簿, photos, bank cards) are written here once, so
that a bundle can merge them by name ("asked once even when several items need it").
"""

from __future__ import annotations

GOV_ID = "公安机关核发"


# --- Domains and items ------------------------------------------------------------------------


def domain(code: str, name: str, full_name: str, suffix: str, window_group: str) -> dict:
    return {
        "code": code,
        "name": name,
        "full_name": full_name,
        "department_suffix": suffix,
        "window_group": window_group,
    }


def item(
    code: str,
    name: str,
    domain_code: str,
    item_type: str,
    legal_basis: str,
    guide: dict,
    *,
    level: str = "township",
    frequency: str = "high",
    objects: tuple[str, ...] = ("person",),
    channels: tuple[str, ...] = ("window",),
    appointment: bool = False,
    express: bool = False,
    payment: bool = False,
    cross_region: str = "",
    life_events: tuple[str, ...] = (),
) -> dict:
    """An item; a county item handled here (``level="county"``) is forwarded unless seasonal."""
    return {
        "basic_code": code,
        "name": name,
        "domain": domain_code,
        "item_type": item_type,
        "legal_basis": legal_basis,
        "handling_level": level,
        "frequency": frequency,
        "service_object": list(objects),
        "channels": list(channels),
        "supports_appointment": appointment,
        "supports_express": express,
        "supports_online_payment": payment,
        "cross_region": cross_region,
        "life_events": list(life_events),
        "guide": guide,
    }


def guide(
    *,
    conditions: str,
    materials: list[dict],
    steps: list[dict],
    statutory: int | None,
    promised: int,
    result_type: str,
    result_name: str,
    faq: list[dict],
    special_steps: list[dict] | None = None,
    deferral: bool = False,
    fees: list[dict] | None = None,
    visits: int = 1,
) -> dict:
    return {
        "conditions": conditions,
        "materials": materials,
        "steps": steps,
        "special_steps": special_steps or [],
        "statutory_days": statutory,
        "promised_days": promised,
        "allows_deferral": deferral,
        "fees": fees or [],
        "visits": visits,
        "result_type": result_type,
        "result_name": result_name,
        "faq": faq,
    }


def step(name: str, description: str, days: int) -> dict:
    return {"name": name, "description": description, "days": days}


def special(name: str, description: str, days: int, counts: bool = False) -> dict:
    """A special step (公示, 民主评议, 入户调查 …); ``counts``: whether it counts in the limit."""
    return {"name": name, "description": description, "days": days, "counts_in_limit": counts}


def faq(question: str, answer: str) -> dict:
    return {"question": question, "answer": answer}


def fee(name: str, standard: str, basis: str, exemption: str = "") -> dict:
    return {"name": name, "standard": standard, "basis": basis, "exemption": exemption}


# --- Materials --------------------------------------------------------------------------------


def material(
    name: str,
    *,
    necessity: str = "required",
    condition: str = "",
    form: str = "original",
    copies: int = 0,
    spec: str = "",
    source: str = "applicant",
    source_note: str = "",
    standard: str = "",
    basis: str = "",
    notes: str = "",
    deferrable: bool = False,
) -> dict:
    if copies and not spec:
        spec = "A4"
    return {
        "name": name,
        "necessity": necessity,
        "condition_note": condition,
        "form": form,
        "paper_copies": copies,
        "specification": spec,
        "source_channel": source,
        "source_note": source_note,
        "acceptance_standard": standard,
        "basis": basis,
        "notes": notes,
        "deferrable": deferrable,
    }


def _shown_or_copied(copies: int) -> str:
    return "original_and_copy" if copies else "original"


def id_card(copies: int = 0, *, name: str = "居民身份证", notes: str = "", **kw) -> dict:
    """The applicant's identity card: shown (``copies=0``) or shown with copies. Never deferrable."""
    return material(
        name,
        form=_shown_or_copied(copies),
        copies=copies,
        spec="A4，正反面复印在同一页" if copies else "",
        source="government",
        source_note=GOV_ID,
        standard="在有效期内，与本人一致；复印件清晰完整" if copies else "在有效期内，与本人一致",
        notes=notes,
        **kw,
    )


def agent_id(condition: str = "委托他人代办的") -> dict:
    """The agent's identity card and the signed authorisation, when someone else applies."""
    return material(
        "代办人居民身份证及委托书",
        necessity="conditional",
        condition=condition,
        form="original",
        source="applicant",
        source_note="代办人身份证由公安机关核发；委托书由申请人签字",
        standard="代办人身份证在有效期内；委托书载明委托事项并有委托人签字（按手印）",
    )


def hukou(copies: int = 0, *, pages: str = "户主页及本人页", **kw) -> dict:
    return material(
        "户口簿",
        form=_shown_or_copied(copies),
        copies=copies,
        spec=f"A4，{pages}" if copies else "",
        source="government",
        source_note=GOV_ID,
        standard="与申请人户籍信息一致，复印件清晰" if copies else "与申请人户籍信息一致",
        **kw,
    )


def photo(n: int, *, size: str = "2寸", deferrable: bool = False, **kw) -> dict:
    """Recent bareheaded colour photos (a secondary material: may be deferrable)."""
    return material(
        f"近期{size}白底免冠彩色照片",
        form="original",
        copies=n,
        spec=f"{size}白底免冠彩色照片，{n}张",
        source="applicant",
        source_note="申请人自备",
        standard="近6个月内拍摄，正面免冠，背景为白色",
        deferrable=deferrable,
        **kw,
    )


def bank_card(deferrable: bool = True, *, who: str = "申请人", notes: str = "", **kw) -> dict:
    """银行卡（折）复印件 for a payment into the person's own account (secondary: deferrable)."""
    if not notes and deferrable:
        notes = "可先受理，签署容缺受理承诺书后在承诺期限内补交"
    return material(
        "银行卡（折）复印件",
        form="copy",
        copies=1,
        spec="A4，卡号面（存折户名和账号页）",
        source="applicant",
        source_note=f"{who}本人名下银行卡（折），可用社会保障卡金融账户",
        standard="户名与" + who + "一致，卡号清晰可辨",
        notes=notes,
        deferrable=deferrable,
        **kw,
    )


def app_form(name: str, *, copies: int = 1, source_note: str = "窗口领取或网上下载", **kw) -> dict:
    """An application form filled in and signed by the applicant."""
    kw.setdefault("standard", "填写完整、真实，申请人签字（按手印）")
    return material(
        name,
        form="original",
        copies=copies,
        spec="A4",
        source="applicant",
        source_note=source_note,
        **kw,
    )


def economic_authorisation() -> dict:
    """家庭经济状况核查授权书, needed by every means-tested assistance item."""
    return material(
        "家庭经济状况核查授权委托书",
        form="original",
        copies=1,
        spec="A4",
        source="applicant",
        source_note="窗口领取，共同生活的家庭成员签字",
        standard="共同生活的家庭成员（未成年人由监护人代签）均签字（按手印）",
        basis="《社会救助暂行办法》第十一条；《社会救助家庭经济状况核对办法》",
    )


def disability_card(
    necessity: str = "conditional", condition: str = "家庭成员中有残疾人的"
) -> dict:
    return material(
        "中华人民共和国残疾人证",
        necessity=necessity,
        condition=condition if necessity == "conditional" else "",
        form="original_and_copy",
        copies=1,
        spec="A4，照片页及等级页",
        source="government",
        source_note="残疾人联合会核发（第二代残疾人证）",
        standard="在有效期内，残疾类别、等级清晰",
    )


def medical_records(condition: str = "因病申请的") -> dict:
    return material(
        "病历、诊断证明或医疗费用票据",
        necessity="conditional",
        condition=condition,
        form="copy",
        copies=1,
        source="other",
        source_note="医疗机构出具",
        standard="医疗机构盖章，与申请人一致",
    )
