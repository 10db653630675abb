"""计生 — 生育登记与计划生育家庭扶助 (县卫生健康委员会主管)."""

from ._common import (
    app_form,
    bank_card,
    disability_card,
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

DOMAIN = domain("jisheng", "计生", "计划生育", "卫生健康委员会（计生）", "social_security")

POPULATION_LAW = "《中华人民共和国人口与计划生育法》"
ANHUI_RULES = "《安徽省人口与计划生育条例》"


def marriage_certificate(necessity: str = "required", condition: str = "") -> dict:
    return material(
        "结婚证",
        necessity=necessity,
        condition=condition,
        form="original_and_copy",
        copies=1,
        source="government",
        source_note="婚姻登记机关核发",
        standard="持证人与申请人一致",
    )


def village_review(days: int = 5) -> dict:
    return special(
        "村级评议公示", "村（居）民委员会对申请人资格进行评议，并在村务公开栏张榜公示。", days
    )


ITEMS = [
    item(
        "000121001000",
        "生育登记",
        "jisheng",
        "public_service",
        POPULATION_LAW
        + "第十八条；"
        + ANHUI_RULES
        + "；《国家卫生计生委关于做好生育登记服务工作的指导意见》（国卫指导发〔2016〕20号）",
        guide(
            conditions="生育子女的夫妻，可在一方户籍地或现居住地办理生育登记，登记不设前置条件；怀孕前、孕期或孩子出生后均可办理。",
            materials=[
                id_card(name="夫妻双方居民身份证"),
                marriage_certificate(
                    "conditional", "夫妻共同登记的（可通过婚姻登记信息共享核验的免交）"
                ),
                app_form(
                    "生育登记表",
                    source_note="窗口领取，或在皖事通网上填报",
                    standard="如实填写，当事人签字承诺",
                ),
            ],
            steps=[
                step("申请", "到便民服务中心卫健（计生）窗口，或通过皖事通网上申请。", 0),
                step("登记", "核对信息后当场登记，出具生育登记服务单。", 0),
            ],
            statutory=1,
            promised=0,
            visits=0,
            result_type="record",
            result_name="生育登记服务单",
            faq=[
                faq(
                    "生三孩也要审批吗？",
                    "不需要。一对夫妻可以生育三个子女，生育子女实行登记服务，不需要审批。",
                ),
                faq("孩子出生后才想起来登记，还能办吗？", "能。孩子出生后也可以补办生育登记。"),
            ],
        ),
        channels=("window", "online"),
        life_events=("新生儿出生", "生育"),
    ),
    item(
        "000121002000",
        "独生子女父母光荣证核发",
        "jisheng",
        "administrative_confirmation",
        ANHUI_RULES + "第三十九条；" + POPULATION_LAW + "第三十二条",
        guide(
            conditions=(
                "在国家提倡一对夫妻生育一个子女期间（2015年12月31日以前）只生育一个子女（含依法收养一个子女）、自愿不再生育的夫妻，可申领独生子女父母光荣证。\n"
                "2016年1月1日以后生育的，不再办理。"
            ),
            materials=[
                id_card(copies=1, name="夫妻双方居民身份证"),
                hukou(copies=1, pages="户主页及全家成员页"),
                marriage_certificate(),
                photo(1, size="2寸", deferrable=True, notes="夫妻双人合影"),
                app_form("独生子女父母光荣证申请审批表"),
            ],
            steps=[
                step("申请", "夫妻一方到户籍地乡镇便民服务中心提出申请。", 0),
                step("村级核实", "村（居）民委员会核实生育情况并签署意见。", 3),
                step("乡镇审核发证", "乡镇审核符合条件的，核发独生子女父母光荣证。", 7),
            ],
            statutory=20,
            promised=10,
            deferral=True,
            visits=2,
            result_type="certificate",
            result_name="独生子女父母光荣证",
            faq=[
                faq(
                    "孩子是2016年以后出生的，能办光荣证吗？",
                    "不能。全面两孩政策实施后，2016年1月1日以后生育的不再办理独生子女父母光荣证。",
                ),
                faq(
                    "光荣证丢了怎么办？",
                    "向原发证乡镇申请补发，核实原发证记录后补发。",
                ),
            ],
        ),
        frequency="low",
    ),
    item(
        "000121003000",
        "农村部分计划生育家庭奖励扶助",
        "jisheng",
        "administrative_payment",
        POPULATION_LAW
        + "第三十一条；《国务院办公厅转发人口计生委 财政部关于开展对农村部分计划生育家庭实行奖励扶助制度试点工作意见的通知》（国办发〔2004〕21号）",
        guide(
            conditions=(
                "同时符合下列条件的农村居民：本人及配偶均为农业户口或界定为农村居民；1973年至2001年间没有违反计划生育法律法规和政策规定生育；现存一个子女或两个女孩，或子女死亡现无子女；年满60周岁。\n"
                "每年按县卫生健康部门通知的时间集中申报、确认资格。"
            ),
            materials=[
                id_card(copies=1),
                hukou(copies=1, pages="户主页及全家成员页"),
                marriage_certificate(
                    "conditional", "有婚姻关系的（丧偶、离异的提供相应证明或说明）"
                ),
                app_form("农村部分计划生育家庭奖励扶助对象申报表"),
                bank_card(notes="用于财政补贴“一卡通”发放；可先受理，签署容缺受理承诺书后补交"),
            ],
            steps=[
                step("申报", "本人向户籍地乡镇便民服务中心或村（居）委会申报。", 0),
                step("乡镇审核", "乡镇核实生育和户籍情况，提出审核意见报县。", 10),
                step("县级审批", "县卫生健康部门审批确认，并在县级公布。", 10),
            ],
            special_steps=[village_review(7)],
            statutory=30,
            promised=20,
            deferral=True,
            visits=1,
            result_type="payment",
            result_name="计划生育家庭奖励扶助金",
            faq=[
                faq(
                    "奖励扶助金怎么发？",
                    "确认资格后，次年起按年度通过财政补贴“一卡通”发放到本人账户，直至亡故。",
                ),
                faq(
                    "我快满60岁了，什么时候申报？",
                    "在年满60周岁的当年，按县里每年通知的集中申报时间到乡镇或村里申报。",
                ),
            ],
        ),
        level="county",
        frequency="seasonal",
        life_events=("养老",),
    ),
    item(
        "000121004000",
        "计划生育家庭特别扶助",
        "jisheng",
        "administrative_payment",
        POPULATION_LAW + "第三十二条；《全国独生子女伤残死亡家庭扶助制度试点方案》",
        guide(
            conditions=(
                "只生育或合法收养一个子女，现无存活子女或独生子女被依法鉴定为残疾（伤病残达到三级以上），女方年满49周岁的夫妻，可申请计划生育家庭特别扶助。"
            ),
            materials=[
                id_card(copies=1, name="夫妻双方居民身份证"),
                hukou(copies=1, pages="户主页及全家成员页"),
                app_form("计划生育家庭特别扶助对象申报表"),
                material(
                    "子女死亡证明",
                    necessity="conditional",
                    condition="独生子女死亡的",
                    form="original_and_copy",
                    copies=1,
                    source="other",
                    source_note="医疗机构出具的死亡医学证明或公安机关注销户口证明",
                    standard="载明子女身份信息和死亡时间",
                ),
                disability_card(condition="独生子女伤残的（三级以上）"),
                bank_card(),
            ],
            steps=[
                step("申请", "本人向户籍地乡镇便民服务中心提出申请。", 0),
                step("乡镇审核", "乡镇核实生育、子女伤残或死亡情况，报县审批。", 10),
                step("县级审批", "县卫生健康部门审批确认并公布。", 10),
            ],
            special_steps=[village_review(7)],
            statutory=30,
            promised=20,
            deferral=True,
            visits=1,
            result_type="payment",
            result_name="计划生育家庭特别扶助金",
            faq=[
                faq(
                    "除了扶助金，还有其他帮扶吗？",
                    "特别扶助家庭还可按规定享受联系人制度、家庭医生签约、就医绿色通道和养老服务等帮扶。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
    ),
]
