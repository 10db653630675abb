"""农业农村 — 宅基地、耕地地力保护补贴和土地经营权流转 (乡镇农经站)."""

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

DOMAIN = domain("nongye", "农业农村", "农业农村", "农业农村局", "other")


def contract_certificate(necessity: str = "required", condition: str = "") -> dict:
    return material(
        "农村土地承包经营权证",
        necessity=necessity,
        condition=condition,
        form="original_and_copy",
        copies=1,
        source="government",
        source_note="县级人民政府颁发（确权登记颁证）",
        standard="承包方和地块信息与申请一致",
    )


ITEMS = [
    item(
        "000112001000",
        "农村宅基地申请审批",
        "nongye",
        "administrative_license",
        "《中华人民共和国土地管理法》第六十二条；《中华人民共和国土地管理法实施条例》第三十四条；《农业农村部 自然资源部关于规范农村宅基地审批管理的通知》（农经发〔2019〕6号）",
        guide(
            conditions=(
                "本集体经济组织成员以户为单位申请，一户只能拥有一处宅基地，面积不得超过本省规定的标准；出卖、出租、赠与住宅后再申请宅基地的，不予批准。\n"
                "符合国土空间规划（村庄规划）和用途管制要求，尽量使用原有宅基地和村内空闲地。"
            ),
            materials=[
                app_form("农村宅基地和建房（规划许可）申请表"),
                material(
                    "农村宅基地使用承诺书",
                    form="original",
                    copies=1,
                    spec="A4",
                    source="applicant",
                    source_note="窗口领取，申请人签字",
                    standard="承诺一户一宅、拆旧建新等事项",
                ),
                id_card(copies=1),
                hukou(copies=1, pages="户主页及全家成员页"),
                material(
                    "村民小组会议讨论意见和公示情况",
                    form="original",
                    copies=1,
                    source="other",
                    source_note="村民小组、村级组织出具",
                    standard="有会议记录、参会人员签字和公示结果",
                ),
                material(
                    "农房设计图或通用图",
                    necessity="optional",
                    form="copy",
                    copies=1,
                    source="applicant",
                    source_note="可选用县里提供的农房通用图集",
                    standard="标明层数、层高和建筑面积",
                ),
                material(
                    "原宅基地退出协议",
                    necessity="conditional",
                    condition="拆旧建新或异址新建需退出原宅基地的",
                    form="original",
                    copies=1,
                    source="other",
                    source_note="与村集体经济组织签订",
                    standard="载明原宅基地位置、面积和退出时间",
                ),
            ],
            steps=[
                step("受理", "乡镇便民服务中心统一受理，材料齐全的进入联审。", 1),
                step("联审", "乡镇农业农村、自然资源等部门联合审查用地和建房规划。", 8),
                step("审批", "乡镇人民政府审核批准，核发农村宅基地批准书和乡村建设规划许可证。", 3),
            ],
            special_steps=[
                special(
                    "村民小组讨论和公示",
                    "村民小组会议讨论申请，并在本小组范围内公示申请理由、拟用地位置和面积、拟建房层数和面积。",
                    5,
                ),
                special(
                    "实地审查", "乡镇组织到现场核查拟用地是否符合条件、四至是否清楚。", 3, True
                ),
            ],
            statutory=20,
            promised=15,
            visits=2,
            result_type="approval_document",
            result_name="农村宅基地批准书",
            faq=[
                faq(
                    "批下来就能开工了吗？",
                    "取得批准书和规划许可后，还须申请乡镇到现场丈量批放、定位放线后方可开工；竣工后申请验收。",
                ),
                faq(
                    "已经把老房子卖了，还能再申请吗？",
                    "不能。出卖、出租、赠与住宅后再申请宅基地的，不予批准。",
                ),
            ],
        ),
        frequency="low",
        life_events=("农村建房",),
    ),
    item(
        "000112002000",
        "耕地地力保护补贴",
        "nongye",
        "administrative_payment",
        "《财政部 农业部关于全面推开农业“三项补贴”改革工作的通知》（财农〔2016〕26号）",
        guide(
            conditions=(
                "拥有耕地承包权的种地农民，按确权承包耕地面积（或县里确定的计算依据）申报补贴。\n"
                "已改变用途的耕地（如畜牧养殖场、设施农业用地、被征占用的耕地）和长年抛荒地不予补贴。每年按县里通知时间集中申报。"
            ),
            materials=[
                id_card(),
                contract_certificate(),
                app_form("耕地地力保护补贴面积申报表", standard="如实填写地块和面积，农户签字"),
                bank_card(who="农户", notes="用于财政补贴“一卡通”发放；可先受理后补交"),
            ],
            steps=[
                step("申报", "农户向村（居）委会或乡镇便民服务中心申报。", 0),
                step("乡镇审核", "乡镇审核各村申报面积并汇总报县。", 5),
                step("县级审定", "县农业农村局、财政局审定补贴面积和标准。", 5),
                step("发放", "补贴资金通过“一卡通”直接发放到农户账户。", 5),
            ],
            special_steps=[
                special("村级核实公示", "村级组织核实申报面积，在村务公开栏公示。", 7),
            ],
            statutory=20,
            promised=15,
            deferral=True,
            visits=1,
            result_type="payment",
            result_name="耕地地力保护补贴",
            faq=[
                faq(
                    "地流转给别人种了，补贴给谁？",
                    "原则上补给拥有耕地承包权的农户；流转双方另有约定的，按约定和县里规定执行。",
                ),
            ],
        ),
        frequency="seasonal",
    ),
    item(
        "000112003000",
        "农村土地经营权流转合同备案",
        "nongye",
        "public_service",
        "《中华人民共和国农村土地承包法》第三十六条；《农村土地经营权流转管理办法》（农业农村部令2021年第1号）",
        guide(
            conditions="承包农户以出租（转包）、入股或其他方式流转土地经营权的，流转双方签订书面合同后向发包方备案，乡镇农村经营管理部门登记存档。",
            materials=[
                material(
                    "土地经营权流转合同",
                    form="original",
                    copies=2,
                    spec="A4",
                    source="applicant",
                    source_note="流转双方签订，可使用示范文本",
                    standard="载明流转地块、期限、用途和价款，双方签字",
                ),
                id_card(copies=1, name="流转双方居民身份证（或受让方营业执照）"),
                contract_certificate("optional"),
            ],
            steps=[
                step("提交", "流转双方到乡镇便民服务中心提交合同。", 0),
                step("备案", "核对合同和承包信息后登记备案。", 5),
            ],
            statutory=10,
            promised=5,
            visits=1,
            result_type="record",
            result_name="土地经营权流转合同备案",
            faq=[
                faq(
                    "流转期限有限制吗？",
                    "流转期限不得超过承包期的剩余期限；不得改变土地的农业用途。",
                ),
            ],
        ),
        frequency="low",
        objects=("person", "organisation"),
    ),
]
