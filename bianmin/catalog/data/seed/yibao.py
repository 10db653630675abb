"""医保 — 城乡居民基本医疗保险与医疗救助."""

from ._common import (
    app_form,
    bank_card,
    domain,
    economic_authorisation,
    faq,
    guide,
    hukou,
    id_card,
    item,
    material,
    step,
)

DOMAIN = domain("yibao", "医保", "医疗保障", "医疗保障局", "social_security")

RESIDENT_BASIS = "《国务院关于整合城乡居民基本医疗保险制度的意见》（国发〔2016〕3号）"


def medical_bills(necessity: str = "required") -> dict:
    return material(
        "医疗费用票据、费用明细清单及病历（出院小结）",
        necessity=necessity,
        form="original",
        copies=1,
        source="other",
        source_note="就诊医疗机构出具",
        standard="票据为原件且盖章，明细清单与票据金额一致",
    )


ITEMS = [
    item(
        "000117001000",
        "城乡居民基本医疗保险参保登记",
        "yibao",
        "public_service",
        "《中华人民共和国社会保险法》第二十五条；" + RESIDENT_BASIS,
        guide(
            conditions=(
                "除应参加职工基本医疗保险以外的城乡居民（含学生、儿童和新生儿），可在户籍地或居住地参加城乡居民基本医疗保险。\n"
                "按年度缴费，集中缴费期以县医疗保障局公布的为准；新生儿在规定时限内参保缴费的，自出生之日起享受待遇。"
            ),
            materials=[
                id_card(notes="新生儿未办理身份证的，提供户口簿或出生医学证明"),
                hukou(),
                material(
                    "出生医学证明",
                    necessity="conditional",
                    condition="新生儿尚未落户的",
                    form="original_and_copy",
                    copies=1,
                    source="other",
                    source_note="助产医疗机构签发",
                    standard="新生儿姓名、出生日期与申请一致",
                ),
                app_form("城乡居民基本医疗保险参保登记表"),
            ],
            steps=[
                step("申请", "到便民服务中心医保窗口，或通过皖事通、医保服务平台网上申请。", 0),
                step("登记", "窗口核对身份和参保状态，当场办理参保登记。", 0),
                step("缴费", "通过税务部门公布的渠道缴纳个人缴费。", 0),
            ],
            statutory=5,
            promised=0,
            visits=1,
            result_type="record",
            result_name="城乡居民基本医疗保险参保登记信息",
            faq=[
                faq(
                    "错过了集中缴费期怎么办？",
                    "可以在缴费期外参保缴费，但按规定设置待遇等待期；具体以本县当年公布的政策为准。",
                ),
                faq(
                    "在外地打工，老家的居民医保还要交吗？",
                    "已在工作地参加职工医保的不要重复参保；未参加职工医保的，可在户籍地或居住地参加居民医保。",
                ),
            ],
        ),
        frequency="seasonal",
        channels=("window", "online"),
        appointment=True,
        payment=True,
        life_events=("新生儿出生", "参保"),
    ),
    item(
        "000117002000",
        "异地就医备案",
        "yibao",
        "public_service",
        "《中华人民共和国社会保险法》第二十九条；《国家医保局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》（医保发〔2022〕22号）",
        guide(
            conditions=(
                "参加基本医疗保险、需要到参保地以外就医并直接结算的人员：\n"
                "异地长期居住人员（异地安置退休、异地长期居住、常驻异地工作）；\n"
                "临时外出就医人员（异地转诊就医、因工作或旅游等临时外出就医）。"
            ),
            materials=[
                id_card(notes="可用社会保障卡代替"),
                app_form(
                    "异地就医备案登记表（含个人承诺书）",
                    copies=1,
                    source_note="窗口领取，或在国家医保服务平台、皖事通网上填报",
                    standard="填写完整，本人签字承诺",
                ),
                material(
                    "转诊转院证明",
                    necessity="conditional",
                    condition="异地转诊就医的",
                    form="original",
                    copies=1,
                    source="other",
                    source_note="参保地具备转诊资质的定点医疗机构出具",
                    standard="加盖医疗机构公章",
                ),
            ],
            steps=[
                step("申请", "到医保窗口，或通过国家医保服务平台APP、皖事通等网上渠道申请。", 0),
                step("备案", "核对参保状态后当场备案，备案信息全国联网。", 0),
            ],
            statutory=1,
            promised=0,
            visits=0,
            result_type="record",
            result_name="异地就医备案信息",
            faq=[
                faq(
                    "可以不跑腿办理吗？",
                    "可以。通过国家医保服务平台APP或皖事通即可在线备案，即时生效，无需到现场。",
                ),
                faq(
                    "备案后能在外地所有医院直接结算吗？",
                    "在备案地已开通跨省联网结算的定点医疗机构可以直接结算，就医时出示医保电子凭证或社会保障卡。",
                ),
            ],
        ),
        channels=("window", "online"),
        cross_region="cross_province",
        life_events=("异地就医",),
    ),
    item(
        "000117003000",
        "医疗救助",
        "yibao",
        "administrative_payment",
        "《社会救助暂行办法》第二十七条至第三十条；《国务院办公厅关于健全重特大疾病医疗保险和救助制度的意见》（国办发〔2021〕42号）",
        guide(
            conditions=(
                "特困人员、低保对象、返贫致贫人口等，在定点医疗机构就医时按规定“一站式”直接结算，无需另行申请。\n"
                "低保边缘家庭成员、因病致贫重病患者等，经基本医疗保险、大病保险报销后政策范围内自付费用较高、生活困难的，可向户籍地乡镇提出申请。"
            ),
            materials=[
                id_card(copies=1),
                app_form("医疗救助申请表"),
                medical_bills(),
                economic_authorisation(),
                bank_card(),
            ],
            steps=[
                step("受理", "乡镇便民服务中心受理申请，核对材料。", 1),
                step("审核", "乡镇核对费用和家庭经济状况，提出审核意见报县。", 9),
                step("审批", "县医疗保障局审批，确定救助金额。", 5),
                step("发放", "救助资金发放到申请人账户。", 5),
            ],
            statutory=30,
            promised=20,
            deferral=True,
            visits=1,
            result_type="payment",
            result_name="医疗救助金",
            faq=[
                faq(
                    "低保户住院还要来申请医疗救助吗？",
                    "一般不用。低保对象、特困人员在定点医疗机构出院结算时直接享受，只需支付个人自付部分。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("困难救助",),
    ),
    item(
        "000117004000",
        "医保参保信息变更",
        "yibao",
        "public_service",
        "《社会保险经办条例》（国务院令第765号）第二章；" + RESIDENT_BASIS,
        guide(
            conditions="参保人姓名、身份证号码、联系方式、居住地址等基本信息发生变化或登记有误的，可申请变更。",
            materials=[
                id_card(),
                app_form("基本医疗保险参保信息变更登记表"),
                material(
                    "变更事项证明",
                    necessity="conditional",
                    condition="变更姓名、身份证号码等身份信息的",
                    form="original_and_copy",
                    copies=1,
                    source="government",
                    source_note="公安机关出具的户籍信息变更证明",
                    standard="变更前后信息清晰一致",
                ),
            ],
            steps=[
                step("申请", "到医保窗口或通过网上渠道提出申请。", 0),
                step("变更", "窗口核对后当场变更。", 0),
            ],
            statutory=5,
            promised=0,
            visits=1,
            result_type="record",
            result_name="参保信息变更记录",
            faq=[
                faq("只改手机号要跑窗口吗？", "不用，在医保服务平台或皖事通上即可自行修改。"),
            ],
        ),
        frequency="low",
        channels=("window", "online"),
    ),
    item(
        "000117005000",
        "门诊慢特病待遇认定",
        "yibao",
        "administrative_confirmation",
        "《中华人民共和国社会保险法》第二十八条；《国家医疗保障局 财政部关于建立医疗保障待遇清单制度的意见》（医保发〔2021〕5号）",
        guide(
            conditions="参加基本医疗保险、患有本省门诊慢特病病种目录内疾病的参保人，可申请门诊慢特病待遇认定。",
            materials=[
                id_card(notes="可用社会保障卡或医保电子凭证代替"),
                app_form("门诊慢特病待遇认定申请表"),
                material(
                    "病历、诊断证明及相关检查报告",
                    form="copy",
                    copies=1,
                    source="other",
                    source_note="二级及以上定点医疗机构出具",
                    standard="能证明所申请病种的诊断依据，加盖医疗机构印章",
                ),
            ],
            steps=[
                step("受理", "乡镇医保窗口受理，收齐材料后报县。", 2),
                step("认定", "县医疗保障局组织认定（或委托定点医疗机构认定）。", 15),
                step("告知", "将认定结果告知申请人，符合条件的自认定之日起享受待遇。", 3),
            ],
            statutory=30,
            promised=20,
            visits=1,
            result_type="record",
            result_name="门诊慢特病待遇资格",
            faq=[
                faq(
                    "在医院直接办理可以吗？",
                    "可以。已开通定点医疗机构认定的，在就诊医院即可申请，无需再到乡镇窗口。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
    ),
    item(
        "000117006000",
        "医疗费用零星报销（转报）",
        "yibao",
        "public_service",
        "《中华人民共和国社会保险法》第二十八条、第二十九条；" + RESIDENT_BASIS,
        guide(
            conditions=(
                "参保人因急诊抢救、未办理异地就医备案或其他原因未能在定点医疗机构直接结算，先行垫付医疗费用的，可在规定期限内申请报销。"
            ),
            materials=[
                id_card(copies=1),
                medical_bills(),
                material(
                    "诊断证明或急诊抢救证明",
                    necessity="conditional",
                    condition="急诊抢救的",
                    form="original",
                    copies=1,
                    source="other",
                    source_note="就诊医疗机构出具",
                    standard="加盖医疗机构印章",
                ),
                bank_card(),
            ],
            steps=[
                step("受理", "乡镇医保窗口受理并转报县医疗保障经办机构。", 2),
                step("审核", "县医疗保障经办机构审核费用，核定报销金额。", 13),
                step("支付", "报销款支付到参保人账户。", 5),
            ],
            statutory=30,
            promised=20,
            deferral=True,
            visits=1,
            result_type="payment",
            result_name="医疗费用报销款",
            faq=[
                faq(
                    "发票丢了还能报吗？",
                    "报销须提供医疗费用票据原件；遗失的，可请就诊医院出具加盖公章的票据复印件及说明，按县医保经办机构规定处理。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        channels=("window", "post"),
        express=True,
    ),
]
