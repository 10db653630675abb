"""卫健 — 基本公共卫生服务 (乡镇卫生院承担，便民服务中心受理咨询和预约)."""

from ._common import agent_id, domain, faq, guide, id_card, item, material, step

DOMAIN = domain("weijian", "卫健", "卫生健康", "卫生健康委员会", "social_security")

PUBLIC_HEALTH = "《国家基本公共卫生服务规范（第三版）》"
HEALTH_LAW = "《中华人民共和国基本医疗卫生与健康促进法》"

ITEMS = [
    item(
        "000120001000",
        "预防接种证办理",
        "weijian",
        "public_service",
        "《中华人民共和国疫苗管理法》第四十七条；" + PUBLIC_HEALTH,
        guide(
            conditions=(
                "儿童出生后一个月内，监护人应到儿童居住地承担预防接种工作的接种单位（乡镇卫生院）或出生医院为其办理预防接种证。\n"
                "从外地迁入的儿童，持原预防接种证到居住地接种单位登记。"
            ),
            materials=[
                material(
                    "出生医学证明",
                    form="original",
                    source="other",
                    source_note="助产医疗机构签发",
                    standard="儿童姓名、出生日期清晰",
                ),
                id_card(name="监护人居民身份证"),
                material(
                    "原预防接种证",
                    necessity="conditional",
                    condition="从外地迁入或补办的",
                    form="original",
                    source="other",
                    source_note="原接种单位发放",
                    standard="接种记录清晰",
                ),
            ],
            steps=[
                step("登记", "监护人到接种单位登记儿童信息。", 0),
                step("发证", "核对后当场建立预防接种档案，发放预防接种证。", 0),
            ],
            statutory=1,
            promised=0,
            visits=1,
            result_type="certificate",
            result_name="预防接种证",
            faq=[
                faq(
                    "预防接种证丢了怎么办？",
                    "到儿童居住地接种单位申请补办，接种单位根据预防接种档案补录接种记录。",
                ),
                faq("以后入托入学要用吗？", "要。儿童入托、入学时需查验预防接种证，请妥善保管。"),
            ],
        ),
        appointment=True,
        life_events=("新生儿出生",),
    ),
    item(
        "000120002000",
        "母子健康手册建册",
        "weijian",
        "public_service",
        "《中华人民共和国母婴保健法》第十四条；" + PUBLIC_HEALTH,
        guide(
            conditions="辖区内常住的孕妇，一般在孕13周前到居住地乡镇卫生院建立母子健康手册，免费享受孕产期健康管理服务。",
            materials=[
                id_card(name="孕妇居民身份证"),
                material(
                    "早孕检查或诊断结果",
                    necessity="optional",
                    form="original",
                    source="other",
                    source_note="医疗机构出具",
                    standard="能证明已怀孕",
                ),
            ],
            steps=[
                step("登记", "孕妇到乡镇卫生院登记，进行首次产前随访。", 0),
                step("建册", "当场建立孕产妇健康档案，发放母子健康手册。", 0),
            ],
            statutory=1,
            promised=0,
            visits=1,
            result_type="certificate",
            result_name="母子健康手册",
            faq=[
                faq(
                    "建册要花钱吗？",
                    "不收费。孕产期健康管理属于国家基本公共卫生服务项目，产前检查中的部分检验项目按医保规定报销。",
                ),
            ],
        ),
        frequency="low",
        life_events=("生育",),
    ),
    item(
        "000120003000",
        "家庭医生签约服务",
        "weijian",
        "public_service",
        HEALTH_LAW + "第三十一条；《关于推进家庭医生签约服务的指导意见》（国医改办发〔2016〕1号）",
        guide(
            conditions="辖区内常住居民均可自愿签约，优先覆盖老年人、孕产妇、儿童、残疾人，以及高血压、糖尿病等慢性病患者。",
            materials=[
                id_card(notes="可用社会保障卡代替"),
                material(
                    "家庭医生签约服务协议",
                    form="original",
                    copies=2,
                    spec="A4",
                    source="other",
                    source_note="乡镇卫生院或村卫生室提供",
                    standard="居民与家庭医生团队双方签字",
                ),
                agent_id("由家属代为签约的"),
            ],
            steps=[
                step("咨询", "到便民服务中心或乡镇卫生院、村卫生室了解服务包内容。", 0),
                step("签约", "选择家庭医生团队和服务包，当场签订协议。", 0),
            ],
            statutory=1,
            promised=0,
            visits=1,
            result_type="other",
            result_name="家庭医生签约服务协议",
            faq=[
                faq(
                    "签约要交钱吗？",
                    "基础服务包免费；个性化服务包按县公布的标准收费，居民自愿选择。",
                ),
                faq("签约一次管多久？", "一般一年一签，到期可续签，也可以更换家庭医生团队。"),
            ],
        ),
    ),
    item(
        "000120004000",
        "65岁及以上老年人健康体检",
        "weijian",
        "public_service",
        HEALTH_LAW + "第十五条；" + PUBLIC_HEALTH,
        guide(
            conditions="辖区内年满65周岁的常住居民，每年可在乡镇卫生院免费接受一次健康体检（生活方式和健康状况评估、体格检查、辅助检查和健康指导）。",
            materials=[
                id_card(notes="可用社会保障卡代替"),
                material(
                    "既往病历或检查报告",
                    necessity="optional",
                    form="original",
                    source="other",
                    source_note="医疗机构出具",
                    standard="近期就诊资料",
                ),
            ],
            steps=[
                step("预约", "到便民服务中心、村卫生室或乡镇卫生院预约体检时间。", 0),
                step("体检", "空腹到乡镇卫生院（或巡回体检点）完成体检。", 0),
                step("反馈", "家庭医生反馈体检结果并进行健康指导。", 10),
            ],
            statutory=15,
            promised=10,
            visits=1,
            result_type="other",
            result_name="老年人健康体检报告",
            faq=[
                faq("体检要空腹吗？", "需要。抽血和腹部B超需空腹，请体检当天早上不要吃早饭。"),
            ],
        ),
        frequency="low",
        appointment=True,
    ),
    item(
        "000120005000",
        "居民健康档案建立与查询",
        "weijian",
        "public_service",
        HEALTH_LAW + "第十五条；" + PUBLIC_HEALTH,
        guide(
            conditions="辖区内常住居民（居住半年以上）均可免费建立居民健康档案，本人可查询自己的健康档案。",
            materials=[
                id_card(notes="可用社会保障卡代替"),
                agent_id("为老人、儿童等代为建档或查询的"),
            ],
            steps=[
                step("申请", "到乡镇卫生院、村卫生室或便民服务中心提出申请。", 0),
                step("建档或查询", "当场建档；查询的，核对身份后提供本人档案信息。", 0),
            ],
            statutory=1,
            promised=0,
            visits=1,
            result_type="record",
            result_name="居民健康档案",
            faq=[
                faq(
                    "能在手机上看自己的健康档案吗？",
                    "已开通线上查询的，可通过电子健康卡等渠道查询本人档案。",
                ),
            ],
        ),
        frequency="low",
        channels=("window", "online"),
    ),
]
