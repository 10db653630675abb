"""人社 — 就业与创业 (domain defined in renshe)."""

from ._common import app_form, bank_card, disability_card, faq, guide, id_card, item, material, step

EMPLOYMENT_RULES = "《就业服务与就业管理规定》（劳动和社会保障部令第28号）第六章"

ITEMS = [
    item(
        "000108024000",
        "就业登记",
        "renshe",
        "public_service",
        "《中华人民共和国就业促进法》；" + EMPLOYMENT_RULES,
        guide(
            conditions=(
                "在法定劳动年龄内、已实现就业（含灵活就业、自主创业）的劳动者，可在常住地办理就业登记。\n"
                "用人单位招用人员的，一般由用人单位统一办理。"
            ),
            materials=[
                id_card(),
                app_form("就业登记表"),
                material(
                    "就业证明材料",
                    necessity="optional",
                    form="copy",
                    copies=1,
                    source="applicant",
                    source_note="劳动合同、营业执照或从事灵活就业的说明",
                    standard="能反映就业单位或就业形式",
                ),
            ],
            steps=[
                step("申请", "到便民服务中心人社窗口或通过网上渠道提出申请。", 0),
                step("登记", "窗口核对后当场录入就业信息。", 0),
            ],
            statutory=5,
            promised=0,
            visits=1,
            result_type="record",
            result_name="就业登记信息",
            faq=[
                faq(
                    "在家附近打零工也能登记吗？",
                    "可以，按灵活就业登记；登记后可按规定享受相关就业服务和扶持政策。",
                ),
            ],
        ),
        frequency="low",
        channels=("window", "online"),
        life_events=("就业创业",),
    ),
    item(
        "000108025000",
        "失业登记",
        "renshe",
        "public_service",
        "《中华人民共和国社会保险法》第五十条；" + EMPLOYMENT_RULES,
        guide(
            conditions=(
                "在法定劳动年龄内、有劳动能力、有就业要求、处于无业状态的城乡劳动者，可在常住地（户籍地、经常居住地或参保地）办理失业登记。"
            ),
            materials=[
                id_card(),
                app_form("失业登记表", source_note="窗口领取，或在网上填报"),
                material(
                    "解除或终止劳动关系证明",
                    necessity="optional",
                    form="copy",
                    copies=1,
                    source="other",
                    source_note="原用人单位出具",
                    standard="载明解除或终止劳动关系的日期",
                    notes="能通过信息系统核实的无需提供",
                ),
            ],
            steps=[
                step("申请", "到便民服务中心人社窗口或通过网上渠道提出申请。", 0),
                step("登记", "窗口核实身份和就业、参保状态，当场办理失业登记。", 0),
            ],
            statutory=5,
            promised=0,
            visits=1,
            result_type="record",
            result_name="失业登记信息",
            faq=[
                faq(
                    "失业登记后能享受什么服务？",
                    "可免费获得职业介绍、职业指导和就业创业培训等公共就业服务；符合条件的还可申领失业保险金或认定为就业困难人员。",
                ),
                faq(
                    "找到工作后要注销失业登记吗？",
                    "需要。实现就业后办理就业登记，失业登记随之注销。",
                ),
            ],
        ),
        frequency="low",
        channels=("window", "online"),
        life_events=("就业创业",),
    ),
    item(
        "000108026000",
        "就业困难人员认定",
        "renshe",
        "administrative_confirmation",
        "《中华人民共和国就业促进法》第五十二条；" + EMPLOYMENT_RULES,
        guide(
            conditions=(
                "已办理失业登记，且属于安徽省规定的就业困难人员范围的劳动者，如大龄失业人员、残疾人、最低生活保障家庭成员、零就业家庭成员、连续失业一年以上人员等。"
            ),
            materials=[
                id_card(copies=1),
                app_form("就业困难人员认定申请表"),
                disability_card(condition="以残疾人身份申请的"),
                material(
                    "其他困难情形证明",
                    necessity="conditional",
                    condition="以低保家庭成员、零就业家庭等身份申请且无法通过信息系统核实的",
                    form="copy",
                    copies=1,
                    source="government",
                    source_note="民政等部门出具",
                    standard="与申请人一致，在有效期内",
                ),
            ],
            steps=[
                step("受理", "乡镇人社窗口受理，核实失业登记状态。", 1),
                step("初审", "乡镇核实申请人困难情形，提出初审意见报县。", 4),
                step("认定", "县公共就业服务机构审核认定，通知申请人。", 10),
            ],
            statutory=20,
            promised=15,
            visits=1,
            result_type="record",
            result_name="就业困难人员认定结果",
            faq=[
                faq(
                    "认定为就业困难人员有什么用？",
                    "可按规定享受就业援助，如公益性岗位安置、社会保险补贴、职业培训补贴等。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("就业创业",),
    ),
    item(
        "000108027000",
        "职业技能培训补贴申领",
        "renshe",
        "administrative_payment",
        "《中华人民共和国就业促进法》第五章；《就业补助资金管理办法》（财社〔2017〕164号）",
        guide(
            conditions=(
                "参加政府补贴性职业技能培训并取得职业资格证书、职业技能等级证书、专项职业能力证书或培训合格证书的城乡劳动者，可按规定申领培训补贴。\n"
                "同一人同一年度只能享受一次职业培训补贴，不得重复享受。"
            ),
            materials=[
                id_card(copies=1),
                app_form("职业培训补贴申请表"),
                material(
                    "职业资格证书或职业技能等级证书等",
                    form="original_and_copy",
                    copies=1,
                    source="other",
                    source_note="评价机构或培训机构颁发",
                    standard="可在全国联网系统查询，与申请人一致",
                ),
                bank_card(),
            ],
            steps=[
                step("受理", "乡镇人社窗口核对材料后报县。", 2),
                step("审核", "县人社部门核对培训和取证信息，公示补贴对象。", 10),
                step("拨付", "审核通过后将补贴拨付到申请人账户。", 8),
            ],
            statutory=30,
            promised=20,
            deferral=True,
            visits=1,
            result_type="payment",
            result_name="职业培训补贴",
            faq=[
                faq(
                    "培训机构已经代我申请了，还要自己申请吗？",
                    "不用。由培训机构代为申请的，个人不再重复申领。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("就业创业",),
    ),
    item(
        "000108028000",
        "创业担保贷款申请（转报）",
        "renshe",
        "public_service",
        "《财政部 人力资源社会保障部 中国人民银行关于进一步加大创业担保贷款贴息力度全力支持重点群体创业就业的通知》（财金〔2020〕21号）",
        guide(
            conditions=(
                "符合条件的城镇登记失业人员、就业困难人员、退役军人、返乡创业农民工、脱贫人口、高校毕业生等，在本县自主创业、已取得营业执照的，可申请创业担保贷款及财政贴息。\n"
                "贷款额度、期限和贴息标准以县人社部门和经办银行公布的为准。"
            ),
            materials=[
                id_card(copies=1),
                app_form("创业担保贷款申请表"),
                material(
                    "营业执照",
                    form="original_and_copy",
                    copies=1,
                    source="government",
                    source_note="市场监督管理部门核发",
                    standard="在有效期内，经营者为申请人",
                ),
                material(
                    "创业项目情况说明",
                    necessity="optional",
                    form="original",
                    copies=1,
                    source="applicant",
                    source_note="申请人自备",
                    standard="写明经营项目、资金用途和还款来源",
                ),
            ],
            steps=[
                step("受理", "乡镇人社窗口受理，核对身份和经营情况后转报。", 2),
                step("资格审核", "县人社部门审核申请人资格，出具审核意见。", 5),
                step("担保审贷", "担保机构和经办银行按各自程序调查、审批放款。", 8),
            ],
            statutory=20,
            promised=15,
            visits=1,
            result_type="approval_document",
            result_name="创业担保贷款资格审核意见",
            faq=[
                faq(
                    "贷款要找人担保吗？",
                    "由政府设立的创业担保基金提供担保；符合条件的个人一般可免除反担保要求，具体以担保机构规定为准。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("就业创业",),
    ),
]
