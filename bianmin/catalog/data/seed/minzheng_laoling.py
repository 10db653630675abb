"""民政 — 老年人福利与惠民殡葬 (domain defined in minzheng)."""

from ._common import (
    agent_id,
    app_form,
    bank_card,
    economic_authorisation,
    faq,
    guide,
    hukou,
    id_card,
    item,
    material,
    photo,
    step,
)

ELDERLY_LAW = "《中华人民共和国老年人权益保障法》"

ITEMS = [
    item(
        "000105006000",
        "高龄津贴申领",
        "minzheng",
        "administrative_payment",
        ELDERLY_LAW + "第三十三条；《安徽省实施〈中华人民共和国老年人权益保障法〉办法》",
        guide(
            conditions=(
                "具有本县户籍、年满80周岁的老年人，可向户籍地乡镇申领高龄津贴，按省和县规定的年龄段标准发放。\n"
                "自申请批准的次月起按月（或按季）发放；享受期间去世的，家属应及时告知停发。"
            ),
            materials=[
                id_card(copies=1),
                hukou(copies=1, pages="户主页及老人本人页"),
                app_form("高龄津贴申请表", standard="填写完整，老人本人或代办人签字（按手印）"),
                bank_card(who="老年人"),
                agent_id("老人行动不便、由家属代办的"),
            ],
            steps=[
                step("申请", "老人或家属到乡镇便民服务中心民政窗口提出申请。", 0),
                step("审核", "乡镇核对年龄、户籍和生存状态，提出审核意见报县。", 5),
                step("审批", "县民政局审批，纳入发放名册。", 5),
            ],
            statutory=20,
            promised=10,
            deferral=True,
            visits=1,
            result_type="payment",
            result_name="高龄津贴",
            faq=[
                faq(
                    "没带银行卡可以先办吗？",
                    "可以。身份证和户口簿齐全的，签署容缺受理承诺书后先受理，在承诺期限内补交老人本人的银行卡（折）复印件即可。",
                ),
                faq(
                    "老人卧床来不了，怎么办？",
                    "可由家属持老人和本人身份证代办；需要核实生存状态的，由村（居）工作人员上门核实。",
                ),
                faq("什么时候开始发？", "审批通过后，自批准的次月起发放到老人本人账户。"),
            ],
        ),
        life_events=("养老",),
    ),
    item(
        "000105007000",
        "老年人优待证办理",
        "minzheng",
        "public_service",
        ELDERLY_LAW + "第五章",
        guide(
            conditions="年满60周岁的本县户籍老年人，或在本县居住的外地户籍老年人，可申领老年人优待证，凭证享受本省规定的优待服务。",
            materials=[
                id_card(copies=1),
                photo(1, size="1寸", deferrable=True),
                agent_id("由家属代办的"),
            ],
            steps=[
                step("申请", "到乡镇便民服务中心民政窗口提出申请。", 0),
                step("制证发放", "核对身份后制作优待证，通知本人或家属领取。", 5),
            ],
            statutory=10,
            promised=5,
            deferral=True,
            visits=2,
            result_type="certificate",
            result_name="老年人优待证",
            faq=[
                faq(
                    "没有优待证能享受优待吗？",
                    "可以。老年人凭居民身份证同样享受法定优待，优待证主要是方便识别。",
                ),
            ],
        ),
        frequency="low",
        life_events=("退休", "养老"),
    ),
    item(
        "000105008000",
        "养老服务补贴申领",
        "minzheng",
        "administrative_payment",
        ELDERLY_LAW
        + "；《财政部 民政部 全国老龄办关于建立健全经济困难的高龄、失能等老年人补贴制度的通知》（财社〔2014〕113号）",
        guide(
            conditions="本县户籍的经济困难老年人（如低保、特困、低保边缘家庭中的老年人），经评估为高龄或失能、半失能的，可申请养老服务补贴，以服务形式或服务券享受居家养老服务。",
            materials=[
                app_form("养老服务补贴申请表"),
                id_card(copies=1),
                hukou(copies=1, pages="户主页及老人本人页"),
                economic_authorisation(),
                material(
                    "老年人能力评估结果",
                    necessity="conditional",
                    condition="以失能、半失能老年人身份申请的",
                    form="copy",
                    copies=1,
                    source="other",
                    source_note="县民政局委托的评估机构出具",
                    standard="在有效期内",
                ),
            ],
            steps=[
                step("受理", "乡镇便民服务中心受理申请。", 1),
                step("审核", "乡镇核实经济状况，组织或协调能力评估，提出审核意见报县。", 9),
                step("审批", "县民政局审批，确定补贴标准和服务方式。", 10),
            ],
            statutory=30,
            promised=20,
            visits=1,
            result_type="payment",
            result_name="养老服务补贴",
            faq=[
                faq(
                    "补贴是发钱吗？",
                    "一般以居家养老服务或服务券形式提供，由服务机构上门服务，具体以县里规定为准。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("养老",),
    ),
    item(
        "000105009000",
        "惠民殡葬补贴申领",
        "minzheng",
        "administrative_payment",
        "《殡葬管理条例》；《关于进一步推动殡葬改革促进殡葬事业发展的指导意见》（民发〔2018〕5号）",
        guide(
            conditions=(
                "本县户籍居民去世后实行火化、按规定生态安葬的，由丧属申请减免基本殡葬服务费用或领取生态安葬奖补。\n"
                "已在殡仪馆直接减免的，无需再申请。"
            ),
            materials=[
                id_card(copies=1, name="丧属居民身份证"),
                material(
                    "死亡证明",
                    form="copy",
                    copies=1,
                    source="other",
                    source_note="《居民死亡医学证明（推断）书》或公安机关注销户口证明",
                    standard="载明逝者身份信息和死亡时间",
                ),
                material(
                    "火化证明",
                    form="original_and_copy",
                    copies=1,
                    source="other",
                    source_note="殡仪馆出具",
                    standard="逝者信息与死亡证明一致",
                ),
                material(
                    "殡葬服务费用票据",
                    necessity="conditional",
                    condition="申请报销已缴纳的基本殡葬服务费用的",
                    form="original",
                    copies=1,
                    source="other",
                    source_note="殡仪馆出具",
                    standard="票据为原件，项目清晰",
                ),
                bank_card(who="丧属"),
            ],
            steps=[
                step("受理", "丧属到逝者户籍地乡镇便民服务中心提出申请。", 1),
                step("审核", "乡镇核对逝者户籍和火化、安葬情况，报县民政局。", 4),
                step("发放", "审核通过后将补贴发放到丧属账户。", 5),
            ],
            statutory=20,
            promised=10,
            deferral=True,
            visits=1,
            result_type="payment",
            result_name="惠民殡葬补贴",
            faq=[
                faq(
                    "哪些费用可以减免？",
                    "遗体接运、暂存、火化、骨灰寄存等基本殡葬服务费用按本省规定减免，选择性服务项目自费。",
                ),
            ],
        ),
        frequency="low",
        life_events=("身后事",),
    ),
]
