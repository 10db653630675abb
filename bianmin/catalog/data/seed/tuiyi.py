"""退役军人 — 乡镇（街道）退役军人服务站受理的事项."""

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
    photo,
    special,
    step,
)

DOMAIN = domain("tuiyi", "退役军人", "退役军人事务", "退役军人事务局", "social_security")

VETERANS_LAW = "《中华人民共和国退役军人保障法》"
PREFERENTIAL_RULES = "《军人抚恤优待条例》"


def discharge_papers(necessity: str = "required", condition: str = "") -> dict:
    return material(
        "退役证件",
        necessity=necessity,
        condition=condition,
        form="original_and_copy",
        copies=1,
        source="government",
        source_note="部队或退役军人事务部门发放的退伍证、转业证、复员证、退休证等",
        standard="姓名、身份信息与申请人一致",
    )


def merit_papers() -> dict:
    return material(
        "立功受奖或伤残证明",
        necessity="conditional",
        condition="有立功受奖或伤残情况的",
        form="original_and_copy",
        copies=1,
        source="government",
        source_note="立功受奖证书、残疾军人证等",
        standard="与申请人一致",
    )


ITEMS = [
    item(
        "000128001000",
        "退役军人优待证申领",
        "tuiyi",
        "public_service",
        VETERANS_LAW + "；" + PREFERENTIAL_RULES,
        guide(
            conditions=(
                "退役军人和烈士遗属、因公牺牲军人遗属、病故军人遗属等其他优抚对象，可在户籍地或经常居住地的乡镇（街道）退役军人服务站申领优待证。\n"
                "正在服刑、被判处剥夺政治权利或被取消退役军人待遇的，暂不发放。"
            ),
            materials=[
                id_card(copies=1),
                hukou(),
                discharge_papers(),
                merit_papers(),
                photo(1, size="2寸", deferrable=True, notes="也可现场采集电子照片"),
                app_form("退役军人优待证申领表"),
            ],
            steps=[
                step("申请", "本人到乡镇（街道）退役军人服务站或通过网上渠道申请。", 0),
                step("受理初审", "服务站核对身份和退役信息，录入系统报县。", 3),
                step("县级审核", "县退役军人事务局审核，报省统一制证。", 7),
                step("制证发放", "制证后配送到服务站，通知本人领取或邮寄。", 20),
            ],
            statutory=60,
            promised=30,
            deferral=True,
            visits=2,
            result_type="certificate",
            result_name="中华人民共和国退役军人优待证",
            faq=[
                faq(
                    "优待证能干什么用？",
                    "凭证可按规定享受交通、文化旅游、医疗、金融等方面的优待服务，具体以各地公布的优待目录为准。",
                ),
                faq(
                    "人在外地，可以在现住地申领吗？",
                    "可以在户籍地或经常居住地的退役军人服务站申领。",
                ),
            ],
        ),
        channels=("window", "online", "post"),
        express=True,
        life_events=("退役",),
    ),
    item(
        "000128002000",
        "义务兵家庭优待金申领",
        "tuiyi",
        "administrative_payment",
        "《中华人民共和国兵役法》；" + PREFERENTIAL_RULES,
        guide(
            conditions="从本县入伍的义务兵（含按规定享受同等待遇的人员）服现役期间，其家庭可按本省标准享受优待金，由入伍地县级人民政府发放。",
            materials=[
                id_card(copies=1, name="义务兵家属居民身份证"),
                hukou(copies=1, pages="户主页及义务兵本人页"),
                material(
                    "入伍通知书或部队出具的服役证明",
                    form="copy",
                    copies=1,
                    source="government",
                    source_note="县人民武装部或所在部队出具",
                    standard="载明入伍时间和服役状态",
                ),
                bank_card(who="义务兵家属"),
            ],
            steps=[
                step("受理", "退役军人服务站核对入伍信息后报县。", 3),
                step("审核", "县退役军人事务局会同人民武装部核实服役情况。", 10),
                step("发放", "按年度将优待金发放到家庭账户。", 7),
            ],
            statutory=30,
            promised=20,
            deferral=True,
            visits=1,
            result_type="payment",
            result_name="义务兵家庭优待金",
            faq=[
                faq(
                    "优待金一年发几次？",
                    "一般按年度发放，义务兵在部队受到处分或被退回的，按规定减发或停发。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("参军",),
    ),
    item(
        "000128003000",
        "伤残抚恤申请（转报）",
        "tuiyi",
        "administrative_payment",
        PREFERENTIAL_RULES + "；《伤残抚恤管理办法》（退役军人事务部令第1号）",
        guide(
            conditions=(
                "退役军人在服役期间因战、因公、因病致残，符合评定残疾等级条件，退役时未评定残疾等级的，可申请评定残疾等级，评定后按等级享受伤残抚恤金。\n"
                "因病致残的，应在服役期间诊断，退役后补评须符合规定的条件和时限。"
            ),
            materials=[
                id_card(copies=1),
                hukou(copies=1),
                discharge_papers(),
                app_form("评定残疾等级申请表"),
                material(
                    "致残经过证明和医疗诊断材料",
                    form="original_and_copy",
                    copies=1,
                    source="other",
                    source_note="原部队或医疗机构出具的致残经过证明、病历和诊断证明",
                    standard="能证明致残时间、原因及残情",
                ),
                photo(2, size="2寸"),
            ],
            steps=[
                step("受理", "退役军人服务站受理后，转报县退役军人事务局。", 3),
                step("县级审查", "县退役军人事务局审查材料，组织医学鉴定。", 17),
                step("审批", "市、省退役军人事务部门审核审批，符合条件的发放残疾军人证。", 30),
            ],
            special_steps=[
                special("残疾等级医学鉴定", "由指定的医疗卫生专家小组进行残情医学鉴定。", 20),
                special("公示", "拟评定残疾等级情况在申请人所在单位或村（居）公示。", 7),
            ],
            statutory=60,
            promised=50,
            visits=2,
            result_type="certificate",
            result_name="中华人民共和国残疾军人证及伤残抚恤金",
            faq=[
                faq(
                    "评残要本人到场吗？",
                    "要。医学鉴定须本人到指定医院参加；无法行走的，可申请上门鉴定。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("退役",),
    ),
    item(
        "000128004000",
        "退役军人和其他优抚对象信息采集",
        "tuiyi",
        "public_service",
        VETERANS_LAW,
        guide(
            conditions="退役军人和其他优抚对象，到户籍地或经常居住地退役军人服务站采集、核对和更新个人及家庭信息。",
            materials=[
                id_card(),
                hukou(),
                discharge_papers(),
                app_form("退役军人和其他优抚对象信息采集表"),
            ],
            steps=[
                step("采集", "服务站工作人员核对证件并录入信息。", 0),
                step("确认", "本人核对采集信息后签字确认。", 0),
            ],
            statutory=1,
            promised=0,
            visits=1,
            result_type="record",
            result_name="退役军人信息采集记录",
            faq=[
                faq(
                    "搬家换了手机号要重新采集吗？",
                    "需要更新。联系方式、居住地址变化的，请及时到服务站或通过网上渠道更新。",
                ),
            ],
        ),
        frequency="low",
        life_events=("退役",),
    ),
    item(
        "000128005000",
        "光荣牌悬挂",
        "tuiyi",
        "public_service",
        "《为烈属、军属和退役军人等家庭悬挂光荣牌工作实施办法》；" + VETERANS_LAW,
        guide(
            conditions="烈士遗属、军人家属和退役军人等家庭，可向户籍地乡镇（街道）退役军人服务站申请悬挂光荣牌；新入伍军人家庭由入伍地统一悬挂。",
            materials=[
                id_card(),
                hukou(),
                discharge_papers(
                    "conditional", "退役军人家庭申请的（军属家庭提供入伍证明，烈属提供烈士证明书）"
                ),
            ],
            steps=[
                step("申请", "向退役军人服务站提出申请。", 0),
                step("核实", "服务站核实身份信息，报县退役军人事务局备案。", 5),
                step("悬挂", "统一组织上门悬挂光荣牌。", 15),
            ],
            statutory=30,
            promised=20,
            visits=1,
            result_type="other",
            result_name="光荣牌",
            faq=[
                faq("光荣牌要自己买吗？", "不需要，光荣牌由政府统一制作，免费悬挂。"),
            ],
        ),
        frequency="low",
        life_events=("退役",),
    ),
]
