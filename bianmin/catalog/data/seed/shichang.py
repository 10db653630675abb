"""市场监管 — 个体工商户登记与食品小作坊登记."""

from ._common import agent_id, app_form, domain, faq, guide, id_card, item, material, special, step

DOMAIN = domain("shichang", "市场监管", "市场监督管理", "市场监督管理局", "other")

REGISTRATION = "《中华人民共和国市场主体登记管理条例》（国务院令第746号）"
SELF_EMPLOYED = "《促进个体工商户发展条例》（国务院令第755号）"


def business_licence(
    name: str = "营业执照", necessity: str = "required", condition: str = ""
) -> dict:
    return material(
        name,
        necessity=necessity,
        condition=condition,
        form="original",
        source="government",
        source_note="市场监督管理部门核发",
        standard="在有效期内，与申请主体一致",
    )


ITEMS = [
    item(
        "000125001000",
        "个体工商户登记",
        "shichang",
        "administrative_license",
        REGISTRATION + "第十九条；" + SELF_EMPLOYED,
        guide(
            conditions=(
                "有经营能力的自然人（或家庭），在本县从事工商业经营的，可申请个体工商户设立登记；从事依法须经批准的经营项目的，应取得相关许可。\n"
                "实行住所（经营场所）申报承诺制，申请人对提交材料的真实性负责。"
            ),
            materials=[
                id_card(name="经营者居民身份证"),
                app_form(
                    "个体工商户登记（备案）申请书",
                    source_note="窗口领取，或在安徽政务服务网、皖事通网上填报",
                    standard="填写完整，经营者签字",
                ),
                material(
                    "经营场所使用证明或住所申报承诺",
                    form="original",
                    copies=1,
                    spec="A4",
                    source="applicant",
                    source_note="房屋产权证明、租赁协议，或按规定作出的住所（经营场所）申报承诺",
                    standard="地址与申请书一致",
                ),
                agent_id("委托他人代为办理的"),
                material(
                    "前置审批文件",
                    necessity="conditional",
                    condition="经营项目依法须在登记前取得许可的",
                    form="copy",
                    copies=1,
                    source="government",
                    source_note="有关审批部门核发",
                    standard="在有效期内，许可范围与经营范围一致",
                ),
            ],
            steps=[
                step("申请", "到便民服务中心市场监管窗口或通过网上渠道提交申请。", 0),
                step("审查", "登记机关对申请材料进行形式审查。", 0),
                step(
                    "核准发照", "材料齐全、符合法定形式的当场登记，发放营业执照（可选择邮寄）。", 1
                ),
            ],
            statutory=3,
            promised=1,
            visits=1,
            result_type="certificate",
            result_name="营业执照",
            faq=[
                faq("办营业执照收费吗？", "不收费。个体工商户登记和营业执照均免费。"),
                faq(
                    "在自己家里开店，能用住宅登记吗？",
                    "按本省住所（经营场所）登记规定办理；利用住宅从事经营的，应遵守法律法规和管理规约，并按规定作出承诺。",
                ),
            ],
        ),
        channels=("window", "online", "post"),
        express=True,
        appointment=True,
        life_events=("就业创业",),
    ),
    item(
        "000125002000",
        "个体工商户注销登记",
        "shichang",
        "administrative_license",
        REGISTRATION + "第三十一条、第三十三条；" + SELF_EMPLOYED,
        guide(
            conditions="个体工商户不再从事经营的，由经营者申请注销登记；未发生债权债务或已清偿完毕、无未结清税款等情形的，可适用简易注销。",
            materials=[
                id_card(name="经营者居民身份证"),
                app_form("个体工商户注销登记申请书", standard="填写完整，经营者签字"),
                business_licence("营业执照正、副本"),
                agent_id("委托他人代为办理的"),
            ],
            steps=[
                step("申请", "到市场监管窗口或通过网上渠道提交注销申请。", 0),
                step("审查登记", "登记机关审查后作出注销登记，收缴营业执照。", 1),
            ],
            statutory=3,
            promised=1,
            visits=1,
            result_type="record",
            result_name="准予注销登记通知书",
            faq=[
                faq(
                    "营业执照丢了还能注销吗？",
                    "能。营业执照遗失的，可在申请时一并说明，或通过国家企业信用信息公示系统公告作废后办理。",
                ),
            ],
        ),
        frequency="low",
        channels=("window", "online"),
        life_events=("开办经营",),
    ),
    item(
        "000125003000",
        "食品小作坊登记",
        "shichang",
        "administrative_license",
        "《中华人民共和国食品安全法》第三十六条；《安徽省食品安全条例》",
        guide(
            conditions="有固定生产加工场所、从业人员少、生产加工规模小的食品小作坊，在取得营业执照后，向所在地县市场监督管理局申请登记，取得登记证后方可从事食品生产加工。",
            materials=[
                id_card(copies=1, name="经营者居民身份证"),
                business_licence(),
                app_form("食品小作坊登记申请书"),
                material(
                    "生产场所平面图和设备布局图",
                    form="original",
                    copies=1,
                    source="applicant",
                    source_note="申请人自行绘制",
                    standard="标明生产区域、设备位置和工艺流向",
                ),
                material(
                    "从业人员健康证明",
                    form="copy",
                    copies=1,
                    source="other",
                    source_note="医疗卫生机构出具",
                    standard="在有效期内，覆盖全部直接接触入口食品的从业人员",
                ),
                material(
                    "食品安全承诺书",
                    form="original",
                    copies=1,
                    source="applicant",
                    source_note="窗口领取",
                    standard="经营者签字",
                ),
            ],
            steps=[
                step("受理", "乡镇便民服务中心受理，转报县市场监督管理局。", 1),
                step("审查", "县市场监督管理局审查申请材料。", 3),
                step("发证", "符合条件的，核发食品小作坊登记证。", 1),
            ],
            special_steps=[
                special("现场核查", "市场监管所对生产场所、设备和卫生条件进行现场核查。", 5, True),
            ],
            statutory=20,
            promised=10,
            visits=1,
            result_type="certificate",
            result_name="食品小作坊登记证",
            faq=[
                faq(
                    "做豆腐、酿米酒的小作坊要登记吗？",
                    "要。从事食品生产加工的小作坊须取得登记证，并在登记的品种范围内生产。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("开办经营",),
    ),
]
