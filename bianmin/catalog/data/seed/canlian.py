"""残联 — 残疾人证、两项补贴与残疾人服务 (乡镇残疾人专职委员受理，县残联办理)."""

from ._common import (
    agent_id,
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

DOMAIN = domain("canlian", "残联", "残疾人联合会", "残疾人联合会", "social_assistance")

DISABLED_LAW = "《中华人民共和国残疾人保障法》"
TWO_SUBSIDIES = (
    "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）"
)

ITEMS = [
    item(
        "000140001000",
        "第二代残疾人证申请（转报）",
        "canlian",
        "administrative_confirmation",
        DISABLED_LAW
        + "；《中华人民共和国残疾人证管理办法》；《残疾人残疾分类和分级》（GB/T 26341-2010）",
        guide(
            conditions=(
                "符合残疾标准的视力、听力、言语、肢体、智力、精神及多重残疾人，可向户籍所在地乡镇（街道）便民服务中心申请办理第二代残疾人证。\n"
                "乡镇受理后转报县残联；申请人须本人到场，并到指定医疗机构参加残疾评定。县残联在材料和评定结果齐全后作出决定。"
            ),
            materials=[
                id_card(copies=1),
                hukou(copies=1, pages="户主页及本人页"),
                photo(3, size="2寸"),
                material(
                    "病历或诊断证明",
                    form="copy",
                    copies=1,
                    source="other",
                    source_note="医疗机构出具的近期病历、诊断证明或检查报告",
                    standard="与申请的残疾类别相关，加盖医疗机构印章",
                ),
                app_form("中华人民共和国残疾人证申请表"),
                agent_id("申请人为未成年人或无民事行为能力人，由监护人代为申请的"),
            ],
            steps=[
                step(
                    "受理转报",
                    "乡镇便民服务中心核对材料，申请人本人到场，当日录入系统并转报县残联。",
                    1,
                ),
                step(
                    "县残联审核发证",
                    "县残联收到评定结果和齐全材料后审核，符合条件的制发残疾人证。",
                    7,
                ),
            ],
            special_steps=[
                special(
                    "残疾评定",
                    "申请人持申请表到县残联指定的医疗机构进行残疾类别和等级评定。",
                    10,
                ),
            ],
            statutory=20,
            promised=8,
            visits=2,
            result_type="certificate",
            result_name="中华人民共和国残疾人证（第二代）",
            faq=[
                faq("办残疾人证要交钱吗？", "不收费。残疾人证办理和残疾评定均免费。"),
                faq(
                    "评定结果不满意怎么办？",
                    "可在收到结果后按规定向县残联申请复核或重新评定。",
                ),
                faq(
                    "办完证什么时候能领？",
                    "县残联在收到齐全材料后一般7个工作日内办结，乡镇窗口通知本人领取。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("残疾人服务",),
    ),
    item(
        "000140002000",
        "困难残疾人生活补贴和重度残疾人护理补贴",
        "canlian",
        "administrative_payment",
        DISABLED_LAW + "第四十八条；" + TWO_SUBSIDIES,
        guide(
            conditions=(
                "持有第二代残疾人证的本县户籍残疾人：最低生活保障家庭中的残疾人（及本省规定的其他困难残疾人）可申请困难残疾人生活补贴；残疾等级为一级、二级且需要长期照护的重度残疾人可申请重度残疾人护理补贴。\n"
                "两项补贴可同时申请；已享受其他同类补贴的按规定不重复享受。"
            ),
            materials=[
                id_card(copies=1),
                hukou(copies=1),
                disability_card("required"),
                app_form("残疾人两项补贴申请审批表"),
                bank_card(who="残疾人本人"),
                agent_id("由家属或监护人代为申请的"),
            ],
            steps=[
                step("受理", "乡镇便民服务中心受理申请，可在户籍地以外跨省提交。", 1),
                step("初审", "乡镇核实残疾人家庭和残疾等级情况，提出初审意见。", 4),
                step("审核", "县残联审核残疾等级和人员信息。", 5),
                step("审定", "县民政局审定，自审定的次月起发放补贴。", 5),
            ],
            statutory=30,
            promised=15,
            deferral=True,
            visits=1,
            result_type="payment",
            result_name="困难残疾人生活补贴、重度残疾人护理补贴",
            faq=[
                faq(
                    "人在外省打工，能不回老家申请吗？",
                    "可以。本事项跨省通办，可在居住地提交申请，由户籍地审核发放。",
                ),
                faq(
                    "补贴发到哪里？",
                    "按月发放到残疾人本人名下银行卡（折）或社会保障卡金融账户。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        cross_region="cross_province",
        channels=("window", "online"),
        life_events=("残疾人服务",),
    ),
    item(
        "000140003000",
        "残疾人两项补贴注销",
        "canlian",
        "public_service",
        TWO_SUBSIDIES,
        guide(
            conditions="享受残疾人两项补贴的残疾人死亡、户籍迁出本县、残疾人证失效或不再符合条件的，由本人、家属或村（居）民委员会报告，办理停发注销。",
            materials=[
                id_card(name="办理人居民身份证"),
                app_form("残疾人两项补贴停发注销申请表", standard="填写停发原因，办理人签字"),
                material(
                    "死亡证明",
                    necessity="conditional",
                    condition="残疾人死亡的",
                    form="copy",
                    copies=1,
                    source="other",
                    source_note="《居民死亡医学证明（推断）书》或公安机关注销户口证明",
                    standard="载明死亡人身份信息和死亡时间",
                ),
            ],
            steps=[
                step("受理", "乡镇便民服务中心受理停发申请。", 1),
                step("注销", "乡镇核实后报县，自情形发生的次月起停发。", 4),
            ],
            statutory=10,
            promised=5,
            visits=1,
            result_type="record",
            result_name="残疾人两项补贴停发注销记录",
            faq=[
                faq(
                    "人去世后多发的补贴要退吗？",
                    "要。自死亡的次月起停发，多发的补贴需退回。",
                ),
            ],
        ),
        frequency="low",
        life_events=("身后事",),
    ),
    item(
        "000140004000",
        "困难残疾人家庭无障碍改造",
        "canlian",
        "public_service",
        DISABLED_LAW + "；《无障碍环境建设法》",
        guide(
            conditions="本县户籍、持有第二代残疾人证，属于低保、特困或低收入家庭，住房存在出行、如厕、洗浴等障碍需要改造的残疾人家庭，可申请无障碍改造。按年度计划分批实施。",
            materials=[
                id_card(copies=1),
                hukou(copies=1),
                disability_card("required"),
                app_form("困难残疾人家庭无障碍改造申请表"),
                material(
                    "住房情况说明",
                    necessity="optional",
                    form="original",
                    copies=1,
                    source="applicant",
                    source_note="申请人自述，村（居）委会签署意见",
                    standard="写明住房位置和需要改造的部位",
                ),
            ],
            steps=[
                step("受理", "乡镇便民服务中心受理申请。", 1),
                step("审核", "县残联根据评估结果审核，纳入年度改造计划。", 14),
                step("告知", "将审核结果和改造计划告知申请人。", 5),
            ],
            special_steps=[
                special("入户评估", "乡镇和县残联组织人员入户评估改造需求，确定改造方案。", 10),
            ],
            statutory=30,
            promised=20,
            visits=1,
            result_type="approval_document",
            result_name="无障碍改造审核意见",
            faq=[
                faq(
                    "改造要自己出钱吗？",
                    "纳入计划的基本改造项目由政府补助，超出标准的部分由家庭自愿承担。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("残疾人服务",),
    ),
    item(
        "000140005000",
        "残疾人辅助器具适配申请",
        "canlian",
        "public_service",
        DISABLED_LAW + "；《残疾预防和残疾人康复条例》（国务院令第675号）",
        guide(
            conditions="持有第二代残疾人证、有辅助器具需求的本县户籍残疾人，可申请基本型辅助器具（如轮椅、助行器、助听器、盲杖等）适配补贴或免费适配。",
            materials=[
                id_card(),
                disability_card("required"),
                app_form("残疾人辅助器具适配申请表"),
                material(
                    "辅助器具适配评估意见",
                    necessity="optional",
                    form="original",
                    copies=1,
                    source="other",
                    source_note="医疗机构或辅助器具服务机构出具",
                    standard="注明适配器具的类型和型号",
                ),
            ],
            steps=[
                step("受理", "乡镇便民服务中心受理，转报县残联。", 1),
                step("评估审核", "县残联组织评估并审核适配方案。", 9),
                step("适配发放", "按方案适配发放辅助器具，或按标准给予补贴。", 10),
            ],
            statutory=30,
            promised=20,
            visits=1,
            result_type="other",
            result_name="辅助器具或适配补贴",
            faq=[
                faq("轮椅坏了可以换吗？", "超过规定使用年限或无法维修的，可以按规定重新申请适配。"),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("残疾人服务",),
    ),
]
