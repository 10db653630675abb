"""民政 — 社会救助与儿童福利 (老龄和殡葬事项在 minzheng_laoling)."""

from ._common import (
    app_form,
    bank_card,
    disability_card,
    domain,
    economic_authorisation,
    faq,
    guide,
    hukou,
    id_card,
    item,
    material,
    medical_records,
    special,
    step,
)

DOMAIN = domain("minzheng", "民政", "民政", "民政局", "social_assistance")

ASSISTANCE = "《社会救助暂行办法》"
CHILDREN = "《国务院办公厅关于加强孤儿保障工作的意见》（国办发〔2010〕54号）"

HOME_VISIT = special(
    "入户调查", "乡镇组织工作人员入户调查家庭经济状况和实际生活情况，并通过信息平台核对。", 5, True
)


def publicity(days: int, where: str = "申请人所在村（居）") -> dict:
    return special("公示", f"审核意见在{where}公示，接受群众监督。", days)


ITEMS = [
    item(
        "000105001000",
        "最低生活保障对象认定",
        "minzheng",
        "administrative_confirmation",
        ASSISTANCE + "第九条至第十三条；《最低生活保障审核确认办法》（民发〔2021〕57号）",
        guide(
            conditions=(
                "共同生活的家庭成员人均收入低于当地最低生活保障标准，且家庭财产状况符合规定的，可以申请最低生活保障。\n"
                "由共同生活家庭成员中的一人作为申请人，向户籍所在地乡镇人民政府提出申请；符合规定的，也可向经常居住地乡镇提出。"
            ),
            materials=[
                app_form(
                    "最低生活保障申请表", standard="如实填写家庭成员、收入和财产情况，申请人签字"
                ),
                id_card(copies=1, name="共同生活家庭成员居民身份证"),
                hukou(copies=1, pages="户主页及全家成员页"),
                economic_authorisation(),
                disability_card(),
                medical_records("家庭成员患重病的"),
            ],
            steps=[
                step("受理", "乡镇便民服务中心受理申请；材料不齐的一次性告知补正。", 1),
                step("审核", "乡镇根据入户调查、信息核对和民主评议情况提出审核意见。", 10),
                step(
                    "审批",
                    "县民政局审批确认（已委托乡镇审核确认的由乡镇确认），不予批准的3个工作日内书面告知理由。",
                    7,
                ),
            ],
            special_steps=[
                HOME_VISIT,
                special(
                    "民主评议", "必要时由村（居）民委员会组织民主评议，评议结果记录在案。", 2, True
                ),
                publicity(7),
            ],
            statutory=30,
            promised=25,
            visits=1,
            result_type="approval_document",
            result_name="最低生活保障审批确认决定",
            faq=[
                faq(
                    "家里有人在外打工，还能申请低保吗？",
                    "能否纳入要看共同生活家庭成员的人均收入和财产状况，外出务工收入计入家庭收入，由入户调查和信息核对确定。",
                ),
                faq(
                    "不符合条件会告诉我原因吗？",
                    "会。不予批准的，在作出决定后3个工作日内书面告知申请人并说明理由。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("困难救助",),
    ),
    item(
        "000105002000",
        "特困人员认定",
        "minzheng",
        "administrative_confirmation",
        ASSISTANCE + "第十四条至第十九条；《特困人员认定办法》（民发〔2021〕43号）",
        guide(
            conditions=(
                "同时具备下列条件的老年人、残疾人和未满18周岁的未成年人，可以认定为特困人员：无劳动能力；无生活来源；无法定赡养、抚养、扶养义务人，或者其法定义务人无履行义务能力。\n"
                "本人向户籍所在地乡镇提出申请，本人申请有困难的，可委托村（居）民委员会或他人代为提出。"
            ),
            materials=[
                app_form("特困人员救助供养申请表", standard="如实填写，注明分散供养或集中供养意愿"),
                id_card(copies=1),
                hukou(copies=1),
                economic_authorisation(),
                disability_card("conditional", "以残疾人身份申请的"),
                material(
                    "法定义务人无履行义务能力的证明",
                    necessity="conditional",
                    condition="有法定赡养、抚养、扶养义务人的",
                    form="copy",
                    copies=1,
                    source="other",
                    source_note="义务人的残疾人证、低保或特困证明、服刑证明等",
                    standard="能证明义务人无履行义务能力",
                ),
            ],
            steps=[
                step("受理", "乡镇便民服务中心受理申请，核对材料。", 1),
                step("审核", "乡镇入户调查、核对经济状况，提出审核意见报县。", 14),
                step("确认", "县民政局全面审查，作出确认决定。", 10),
            ],
            special_steps=[HOME_VISIT, publicity(7)],
            statutory=40,
            promised=30,
            visits=1,
            result_type="approval_document",
            result_name="特困人员认定确认决定",
            faq=[
                faq(
                    "认定后住到敬老院还是在家里？",
                    "生活能自理的可选择在家分散供养；生活不能自理的，优先安排到供养服务机构集中供养。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("困难救助",),
    ),
    item(
        "000105003000",
        "临时救助",
        "minzheng",
        "administrative_payment",
        ASSISTANCE
        + "第四十七条至第五十条；《国务院关于全面建立临时救助制度的通知》（国发〔2014〕47号）；《民政部 财政部关于进一步加强和改进临时救助工作的意见》（民发〔2018〕23号）",
        guide(
            conditions=(
                "因火灾、交通事故等意外事件，家庭成员突发重大疾病等原因，导致基本生活暂时出现严重困难的家庭或个人，可向户籍地或经常居住地乡镇申请临时救助。\n"
                "情况紧急的，可先行救助，事后补齐材料、补办手续。"
            ),
            materials=[
                app_form("临时救助申请表"),
                id_card(copies=1),
                hukou(copies=1),
                economic_authorisation(),
                material(
                    "困难情况证明",
                    necessity="conditional",
                    condition="因意外事件或疾病申请的",
                    form="copy",
                    copies=1,
                    source="other",
                    source_note="医疗费用票据、事故证明、火灾证明等",
                    standard="能反映困难发生的原因和支出",
                ),
                bank_card(),
            ],
            steps=[
                step("受理", "乡镇便民服务中心受理申请。", 1),
                step(
                    "审核",
                    "乡镇调查核实家庭经济状况和困难情况（约4个工作日完成核对），提出救助意见。",
                    9,
                ),
                step(
                    "审批",
                    "乡镇审批（超出乡镇审批额度的报县民政局审批），救助金发放到申请人账户。",
                    5,
                ),
            ],
            special_steps=[publicity(5)],
            statutory=20,
            promised=15,
            deferral=True,
            visits=1,
            result_type="payment",
            result_name="临时救助金",
            faq=[
                faq(
                    "家里突然出事，等不了15天怎么办？",
                    "情况紧急的可申请“先行救助”，由乡镇先给予救助，事后补齐材料和手续。",
                ),
                faq(
                    "不是本地户口能申请吗？", "可以向经常居住地乡镇申请；流动人员遇困也可就近求助。"
                ),
            ],
        ),
        life_events=("困难救助",),
    ),
    item(
        "000105004000",
        "孤儿基本生活费",
        "minzheng",
        "administrative_payment",
        CHILDREN + "；《中华人民共和国未成年人保护法》",
        guide(
            conditions="失去父母、查找不到生父母的未满18周岁的未成年人（社会散居孤儿），由其监护人向孤儿户籍地乡镇提出申请。",
            materials=[
                app_form("孤儿基本生活保障申请表", standard="监护人如实填写并签字"),
                id_card(copies=1, name="监护人居民身份证"),
                hukou(copies=1, pages="孤儿本人页"),
                material(
                    "父母死亡或宣告死亡、失踪证明",
                    form="copy",
                    copies=1,
                    source="government",
                    source_note="死亡医学证明、注销户口证明、人民法院宣告死亡或失踪判决书，或公安机关出具的查找不到生父母的证明",
                    standard="父母双方情况均有证明",
                ),
                bank_card(who="孤儿或监护人"),
            ],
            steps=[
                step("受理", "乡镇便民服务中心受理申请。", 1),
                step("审核", "乡镇入户核实孤儿和监护情况，提出审核意见报县。", 9),
                step("审批", "县民政局审批，自批准的次月起发放基本生活费。", 10),
            ],
            statutory=30,
            promised=20,
            deferral=True,
            visits=1,
            result_type="payment",
            result_name="孤儿基本生活费",
            faq=[
                faq(
                    "孩子满18岁后还能领吗？",
                    "年满18周岁后停发；仍在校就读的，可按规定申请继续享受相关助学政策。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("儿童福利",),
    ),
    item(
        "000105005000",
        "事实无人抚养儿童认定",
        "minzheng",
        "administrative_confirmation",
        "《民政部等12部门关于进一步加强事实无人抚养儿童保障工作的意见》（民发〔2019〕62号）；"
        + CHILDREN,
        guide(
            conditions=(
                "父母双方均符合重残、重病、服刑在押、强制隔离戒毒、被执行其他限制人身自由的措施、失联情形之一的儿童；或父母一方死亡或失踪，另一方符合上述情形之一的儿童。\n"
                "由儿童监护人向儿童户籍所在地乡镇提出申请，村（居）民委员会可协助申请。"
            ),
            materials=[
                app_form("事实无人抚养儿童认定申请表", standard="监护人如实填写并签字"),
                hukou(copies=1, pages="儿童本人页"),
                id_card(copies=1, name="监护人居民身份证"),
                material(
                    "父母情况证明",
                    form="copy",
                    copies=1,
                    source="other",
                    source_note="残疾人证、重病诊断证明、服刑或强制隔离戒毒通知书、失联报案回执、死亡证明等",
                    standard="父母双方的情形均有证明",
                ),
                bank_card(who="儿童或监护人"),
            ],
            steps=[
                step("受理", "乡镇便民服务中心受理申请，村（居）民委员会协助核实。", 1),
                step("审核", "乡镇核实儿童父母和监护情况，提出审核意见报县。", 7),
                step("确认", "县民政局作出确认，符合条件的参照孤儿标准发放基本生活补贴。", 12),
            ],
            special_steps=[HOME_VISIT],
            statutory=30,
            promised=25,
            deferral=True,
            visits=1,
            result_type="approval_document",
            result_name="事实无人抚养儿童认定确认结果",
            faq=[
                faq(
                    "认定后有什么保障？",
                    "按规定发放基本生活补贴（参照当地孤儿标准），并纳入医疗、教育等相关保障和关爱服务。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("儿童福利",),
    ),
]
