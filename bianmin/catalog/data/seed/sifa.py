"""司法 — 乡镇司法所受理的法律援助和人民调解."""

from ._common import agent_id, app_form, domain, faq, guide, id_card, item, material, step

DOMAIN = domain("sifa", "司法", "司法行政", "司法局", "other")

LEGAL_AID_LAW = "《中华人民共和国法律援助法》"

ITEMS = [
    item(
        "000106001000",
        "法律援助申请",
        "sifa",
        "public_service",
        LEGAL_AID_LAW + "第三十一条、第三十八条、第四十一条至第四十三条",
        guide(
            conditions=(
                "因经济困难没有委托代理人的当事人，在依法请求给予社会保险待遇或者社会救助、请求支付劳动报酬、请求给付赡养费抚养费扶养费、请求工伤事故人身损害赔偿等法定事项中，可以申请法律援助。\n"
                "无固定生活来源的未成年人、老年人、残疾人，社会救助、司法救助或优抚对象，申请支付劳动报酬或工伤事故人身损害赔偿的进城务工人员，免予核查经济困难状况。"
            ),
            materials=[
                id_card(copies=1),
                app_form("法律援助申请表"),
                material(
                    "经济困难状况说明（个人诚信承诺）",
                    form="original",
                    copies=1,
                    spec="A4",
                    source="applicant",
                    source_note="窗口领取，申请人如实填写并签字承诺",
                    standard="如实说明家庭人口、收入和财产情况",
                ),
                material(
                    "与所申请法律援助事项有关的材料",
                    form="copy",
                    copies=1,
                    source="applicant",
                    source_note="合同、欠条、工资记录、病历、判决书等",
                    standard="能说明案件基本事实",
                ),
                material(
                    "免予核查经济困难状况的证明",
                    necessity="conditional",
                    condition="属于低保、特困、残疾人、优抚对象等免予核查情形的",
                    form="copy",
                    copies=1,
                    source="government",
                    source_note="低保证、特困人员证明、残疾人证、优待证等",
                    standard="在有效期内，与申请人一致",
                ),
                agent_id("由近亲属或其他人代为申请的"),
            ],
            steps=[
                step(
                    "受理转交", "乡镇司法所（公共法律服务工作站）受理，当日转交县法律援助中心。", 1
                ),
                step(
                    "审查决定",
                    "县法律援助中心自收到申请之日起7日内审查，作出是否给予法律援助的决定。",
                    4,
                ),
                step("指派", "决定给予援助的，指派律师或法律援助人员承办并告知申请人。", 0),
            ],
            statutory=5,
            promised=5,
            visits=1,
            result_type="approval_document",
            result_name="给予法律援助决定书",
            faq=[
                faq("法律援助要花钱吗？", "不收费。法律援助是政府提供的无偿法律服务。"),
                faq(
                    "讨薪的农民工也要证明自己经济困难吗？",
                    "不需要。申请支付劳动报酬或工伤事故人身损害赔偿的进城务工人员，免予核查经济困难状况。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("法律服务",),
    ),
    item(
        "000106002000",
        "人民调解申请",
        "sifa",
        "public_service",
        "《中华人民共和国人民调解法》第四条、第十七条",
        guide(
            conditions=(
                "公民之间、公民与组织之间发生的婚姻家庭、邻里、宅基地、山林土地、损害赔偿等民间纠纷，当事人可以向村（居）或乡镇人民调解委员会申请调解。\n"
                "已经起诉到人民法院或已由其他国家机关受理、处理的，人民调解委员会不再受理。"
            ),
            materials=[
                id_card(),
                material(
                    "人民调解申请书",
                    form="original",
                    copies=1,
                    spec="A4",
                    source="applicant",
                    source_note="书面申请；口头申请的由调解员记录",
                    standard="写明当事人、纠纷事实和调解请求",
                ),
                material(
                    "纠纷相关证据材料",
                    necessity="optional",
                    form="copy",
                    copies=1,
                    source="applicant",
                    source_note="申请人自备",
                    standard="与纠纷事实相关",
                ),
            ],
            steps=[
                step("受理", "人民调解委员会登记申请，征得对方当事人同意后受理。", 1),
                step(
                    "调解",
                    "调解员了解事实、听取双方意见，组织调解；达成协议的制作人民调解协议书。",
                    14,
                ),
            ],
            statutory=22,
            promised=15,
            visits=2,
            result_type="other",
            result_name="人民调解协议书",
            faq=[
                faq("调解收费吗？", "不收费。人民调解委员会调解民间纠纷不收取任何费用。"),
                faq(
                    "调解协议有用吗？",
                    "经人民调解委员会调解达成的协议具有法律约束力；双方可在30日内共同向人民法院申请司法确认。",
                ),
            ],
        ),
        frequency="low",
        life_events=("法律服务",),
    ),
]
