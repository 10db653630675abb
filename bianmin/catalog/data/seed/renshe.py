"""人社 — 城乡居民养老保险 (the social card and employment items are in renshe_card, renshe_jiuye)."""

from ._common import (
    agent_id,
    app_form,
    bank_card,
    domain,
    faq,
    guide,
    hukou,
    id_card,
    item,
    material,
    step,
)

DOMAIN = domain("renshe", "人社", "人力资源和社会保障", "人力资源和社会保障局", "social_security")

PENSION_BASIS = "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）；《城乡居民基本养老保险经办规程》（人社部发〔2019〕84号）"

ITEMS = [
    item(
        "000108014000",
        "城乡居民基本养老保险参保登记",
        "renshe",
        "public_service",
        "《中华人民共和国社会保险法》第二十条、第二十二条；" + PENSION_BASIS,
        guide(
            conditions=(
                "年满16周岁（不含在校学生），非国家机关和事业单位工作人员，且不属于职工基本养老保险制度覆盖范围的城乡居民，可在户籍地参加城乡居民基本养老保险。\n"
                "已参加职工基本养老保险的，不能同时参加城乡居民基本养老保险。"
            ),
            materials=[
                id_card(),
                hukou(),
                app_form("城乡居民基本养老保险参保登记表"),
            ],
            steps=[
                step(
                    "申请",
                    "参保人持材料到便民服务中心人社窗口，或通过皖事通等网上渠道提出申请。",
                    0,
                ),
                step(
                    "受理审核",
                    "窗口核对身份和参保状态，符合条件的当场录入信息系统，完成参保登记。",
                    0,
                ),
                step("缴费", "参保人按年度自主选择缴费档次，通过税务部门公布的渠道缴费。", 0),
            ],
            statutory=5,
            promised=0,
            visits=1,
            result_type="record",
            result_name="城乡居民基本养老保险参保登记信息",
            faq=[
                faq(
                    "在外地打工，能在老家参加城乡居民养老保险吗？",
                    "可以在户籍地参保；但已在工作地参加职工基本养老保险的，不能重复参加城乡居民养老保险。",
                ),
                faq(
                    "缴费档次怎么选？",
                    "按本县当年公布的缴费档次自主选择，多缴多得，政府按档次给予缴费补贴；每年可重新选择一次。",
                ),
            ],
        ),
        channels=("window", "online"),
        appointment=True,
        payment=True,
        life_events=("参保",),
    ),
    item(
        "000108015000",
        "城乡居民养老保险待遇申领",
        "renshe",
        "administrative_payment",
        "《中华人民共和国社会保险法》第二十一条；" + PENSION_BASIS,
        guide(
            conditions=(
                "参加城乡居民基本养老保险、年满60周岁、累计缴费满15年（或按规定补缴），且未领取国家规定的基本养老保障待遇的，可按月领取城乡居民养老保险待遇。\n"
                "一般在年满60周岁的前一个月到户籍地申请，待遇自符合条件的次月起计发。"
            ),
            materials=[
                id_card(),
                hukou(),
                material(
                    "银行卡或社会保障卡",
                    form="original",
                    source="other",
                    source_note="本人名下银行卡或已启用金融功能的社会保障卡",
                    standard="户名与申请人一致，账户状态正常",
                ),
                app_form("城乡居民基本养老保险待遇领取申请表"),
            ],
            steps=[
                step("申请", "参保人持材料到便民服务中心人社窗口提出申请。", 0),
                step("受理初审", "窗口核对缴费年限和身份，录入信息系统后报县社会保险经办机构。", 2),
                step("核定", "县社会保险经办机构审核并核定待遇标准。", 8),
                step("发放", "自符合条件的次月起按月发放至本人账户。", 0),
            ],
            statutory=20,
            promised=10,
            visits=1,
            result_type="payment",
            result_name="城乡居民基本养老保险待遇",
            faq=[
                faq(
                    "缴费不满15年怎么办？",
                    "可按本县规定一次性补缴或延长缴费至满15年，补缴后再申请领取待遇。",
                ),
                faq(
                    "领取待遇后每年还要认证吗？",
                    "需要按规定完成领取待遇资格认证，大多通过数据比对自动完成；未通过的会通知本人，可在手机上或到窗口认证。",
                ),
            ],
        ),
        channels=("window", "online"),
        appointment=True,
        life_events=("退休",),
    ),
    item(
        "000108016000",
        "城乡居民养老保险关系转移",
        "renshe",
        "public_service",
        "《中华人民共和国社会保险法》第十九条；" + PENSION_BASIS,
        guide(
            conditions=(
                "参加城乡居民基本养老保险、尚未领取待遇的参保人，户籍跨省、市、县迁移的，可申请将养老保险关系转入新户籍地。\n"
                "向转入地（新户籍地）提出申请；已按月领取待遇的，不再转移。"
            ),
            materials=[
                id_card(copies=1),
                hukou(copies=1, pages="迁入后的户主页及本人页"),
                app_form("城乡居民基本养老保险关系转入申请表"),
                agent_id(),
            ],
            steps=[
                step("受理", "转入地乡镇人社窗口受理申请，报县社会保险经办机构。", 0),
                step("转入地审核", "转入地县社会保险经办机构审核，向转出地发出联系函。", 15),
                step(
                    "转出地转出", "转出地社会保险经办机构核对参保缴费信息，转出个人账户储存额。", 15
                ),
                step("转入地接续", "转入地收到资金后办理接续，记入个人账户。", 15),
            ],
            statutory=45,
            promised=45,
            visits=1,
            result_type="record",
            result_name="城乡居民基本养老保险关系转移接续记录",
            faq=[
                faq(
                    "户口迁到外省了，要回原籍办转移吗？",
                    "不用。本事项跨省通办，在新户籍地（转入地）提出申请即可，由两地经办机构之间办理转移。",
                ),
                faq(
                    "转移后缴费年限会不会丢？",
                    "不会。个人账户储存额全部转移，缴费年限累计计算。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        channels=("window", "online"),
        cross_region="cross_province",
        life_events=("户籍迁移",),
    ),
    item(
        "000108017000",
        "城乡居民养老保险注销登记",
        "renshe",
        "public_service",
        "《中华人民共和国社会保险法》第十四条；" + PENSION_BASIS,
        guide(
            conditions=(
                "参保人死亡、出国（境）定居或已享受其他基本养老保障待遇的，应办理城乡居民养老保险注销登记。\n"
                "参保人死亡的，由其亲属（继承人或指定受益人）申请，个人账户余额可依法继承。"
            ),
            materials=[
                id_card(name="办理人居民身份证"),
                app_form("城乡居民基本养老保险注销登记表", standard="填写完整，办理人签字"),
                material(
                    "死亡证明",
                    necessity="conditional",
                    condition="参保人死亡的",
                    form="original_and_copy",
                    copies=1,
                    source="other",
                    source_note="医疗机构出具的《居民死亡医学证明（推断）书》、公安机关注销户口证明或火化证明",
                    standard="载明死亡人身份信息和死亡时间",
                ),
                material(
                    "与参保人关系证明",
                    necessity="conditional",
                    condition="亲属代为申请注销并领取个人账户余额的",
                    form="original_and_copy",
                    copies=1,
                    source="government",
                    source_note="户口簿、结婚证或村（居）委会出具的亲属关系证明",
                    standard="能证明办理人为继承人或指定受益人",
                ),
                bank_card(who="继承人或指定受益人"),
            ],
            steps=[
                step("受理", "乡镇人社窗口核对材料，当场停止待遇发放。", 0),
                step("审核", "县社会保险经办机构核对个人账户余额和待遇领取情况。", 5),
                step("结算", "结清个人账户余额，支付给继承人或指定受益人。", 5),
            ],
            statutory=20,
            promised=10,
            deferral=True,
            visits=1,
            result_type="record",
            result_name="城乡居民基本养老保险注销登记",
            faq=[
                faq(
                    "老人去世后多领的养老金怎么办？",
                    "死亡次月起多发的待遇应当退回，办理注销时从个人账户余额中抵扣，不足部分由亲属退还。",
                ),
                faq(
                    "银行卡没带可以先办吗？",
                    "可以。签署容缺受理承诺书后先受理，在承诺期限内补交继承人银行卡（折）复印件。",
                ),
            ],
        ),
        frequency="low",
        life_events=("身后事",),
    ),
    item(
        "000108018000",
        "灵活就业人员参保登记",
        "renshe",
        "public_service",
        "《中华人民共和国社会保险法》第十条第二款、第二十三条第二款",
        guide(
            conditions=(
                "无雇工的个体工商户、未在用人单位参加职工社会保险的非全日制从业人员以及其他灵活就业人员，年满16周岁未达到法定退休年龄的，可以个人身份参加职工基本养老保险和职工基本医疗保险。\n"
                "已参加城乡居民基本养老保险的，参加职工养老保险时应停止城乡居民养老保险缴费。"
            ),
            materials=[
                id_card(),
                app_form("灵活就业人员参保登记表"),
                material(
                    "营业执照",
                    necessity="conditional",
                    condition="以无雇工个体工商户身份参保的",
                    form="original",
                    source="government",
                    source_note="市场监督管理部门核发",
                    standard="在有效期内，经营者与申请人一致",
                ),
            ],
            steps=[
                step("申请", "到便民服务中心人社窗口，或通过网上渠道提出申请。", 0),
                step("受理登记", "窗口核对身份和参保状态，当场办理参保登记，告知缴费方式。", 0),
            ],
            statutory=5,
            promised=0,
            visits=1,
            result_type="record",
            result_name="职工基本养老保险（灵活就业）参保登记信息",
            faq=[
                faq(
                    "灵活就业参保的缴费基数怎么定？",
                    "在当地公布的缴费基数上下限之间自主选择，按月或按年通过税务部门渠道缴纳。",
                ),
            ],
        ),
        frequency="low",
        channels=("window", "online"),
        payment=True,
        life_events=("就业创业",),
    ),
]
