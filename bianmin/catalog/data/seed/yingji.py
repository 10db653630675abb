"""应急管理 — 自然灾害生活救助 (户报、村评、乡审、县定)."""

from ._common import (
    app_form,
    bank_card,
    domain,
    faq,
    guide,
    hukou,
    id_card,
    item,
    material,
    special,
    step,
)

DOMAIN = domain("yingji", "应急管理", "应急管理", "应急管理局", "social_assistance")

DISASTER_RULES = "《自然灾害救助条例》"


def village_steps(publicity_days: int = 7) -> list[dict]:
    return [
        special(
            "村级民主评议", "村（居）民委员会组织村民代表对申报对象和救助需求进行民主评议。", 3
        ),
        special(
            "村级公示",
            f"评议结果在村务公开栏公示，公示期不少于{publicity_days}日。",
            publicity_days,
        ),
    ]


def damage_evidence() -> dict:
    return material(
        "房屋倒损情况证明",
        form="original",
        copies=1,
        source="other",
        source_note="村（居）民委员会出具，附房屋倒损现场照片",
        standard="写明倒损时间、原因和程度",
    )


ITEMS = [
    item(
        "000130001000",
        "受灾人员冬春生活救助",
        "yingji",
        "administrative_payment",
        DISASTER_RULES + "；《受灾人员冬春生活救助工作规程》",
        guide(
            conditions=(
                "因当年自然灾害造成冬令（当年12月至次年2月）或春荒（次年3月至5月）期间口粮、衣被、取暖等基本生活困难的受灾群众。\n"
                "按“户报、村评、乡审、县定”程序确定救助对象，每年秋冬集中申报。"
            ),
            materials=[
                id_card(),
                hukou(),
                app_form("受灾人员冬春生活救助申请表", standard="写明受灾情况和生活困难，户主签字"),
                bank_card(who="户主"),
            ],
            steps=[
                step("户报", "受灾户向村（居）民委员会或乡镇便民服务中心申报。", 0),
                step("乡审", "乡镇审核村级评议结果，汇总报县。", 5),
                step("县定", "县应急管理局审定救助对象和救助标准。", 5),
                step("发放", "救助款通过“一卡通”发放，救助物资由乡镇发放到户。", 5),
            ],
            special_steps=village_steps(7),
            statutory=20,
            promised=15,
            deferral=True,
            visits=1,
            result_type="payment",
            result_name="冬春生活救助款物",
            faq=[
                faq(
                    "没有在村里申报，可以直接到乡镇申请吗？",
                    "可以到乡镇便民服务中心申报，乡镇转村（居）委会评议公示后再审核。",
                ),
                faq(
                    "救助名单在哪里看？",
                    "评议结果在村务公开栏公示，公示期不少于一周，有异议的可向乡镇反映。",
                ),
            ],
        ),
        level="county",
        frequency="seasonal",
        life_events=("受灾救助",),
    ),
    item(
        "000130002000",
        "自然灾害倒损住房恢复重建补助",
        "yingji",
        "administrative_payment",
        DISASTER_RULES,
        guide(
            conditions="因自然灾害造成住房倒塌或严重损坏、需要恢复重建或维修加固，且自身难以解决的受灾家庭，可申请倒损住房恢复重建补助。",
            materials=[
                id_card(copies=1),
                hukou(copies=1),
                app_form("因灾倒损住房恢复重建补助申请表"),
                damage_evidence(),
                bank_card(who="户主"),
            ],
            steps=[
                step("申请", "受灾户向乡镇便民服务中心或村（居）委会提出申请。", 0),
                step("乡镇审核", "乡镇组织核查倒损情况，提出审核意见报县。", 10),
                step("县级审批", "县应急管理局审批，确定补助标准。", 10),
            ],
            special_steps=village_steps(7),
            statutory=30,
            promised=20,
            deferral=True,
            visits=1,
            result_type="payment",
            result_name="倒损住房恢复重建补助资金",
            faq=[
                faq(
                    "补助资金什么时候到账？",
                    "一般按重建进度分批拨付，开工后拨付部分，竣工验收后拨付剩余部分。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("受灾救助",),
    ),
    item(
        "000130003000",
        "过渡期生活救助",
        "yingji",
        "administrative_payment",
        DISASTER_RULES,
        guide(
            conditions="因自然灾害住房倒塌或严重损坏、无房可住、无生活来源、无自救能力的受灾人员，在恢复重建前的过渡期内（一般不超过3个月）可申请过渡期生活救助。",
            materials=[
                id_card(),
                hukou(),
                app_form("过渡期生活救助申请表"),
                damage_evidence(),
                bank_card(who="户主"),
            ],
            steps=[
                step("申请", "受灾户向乡镇便民服务中心或村（居）委会提出申请。", 0),
                step("乡镇审核", "乡镇核实受灾和生活困难情况，报县。", 5),
                step("县级审批", "县应急管理局审批，按月发放救助金。", 5),
            ],
            special_steps=[
                special("村级公示", "救助对象在村务公开栏公示。", 5),
            ],
            statutory=15,
            promised=10,
            deferral=True,
            visits=1,
            result_type="payment",
            result_name="过渡期生活救助金",
            faq=[
                faq(
                    "救助能领多久？",
                    "一般不超过3个月，具体期限和标准由县应急管理局根据灾情确定。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("受灾救助",),
    ),
]
