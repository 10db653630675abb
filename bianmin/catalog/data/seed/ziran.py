"""自然资源 — 乡村建设规划许可与设施农业用地备案."""

from ._common import app_form, domain, faq, guide, id_card, item, material, special, step

DOMAIN = domain("ziran", "自然资源", "自然资源和规划", "自然资源和规划局", "other")

ITEMS = [
    item(
        "000110001000",
        "乡村建设规划许可",
        "ziran",
        "administrative_license",
        "《中华人民共和国城乡规划法》第四十一条；《中华人民共和国土地管理法》第六十二条",
        guide(
            conditions=(
                "在乡、村庄规划区内进行乡镇企业、乡村公共设施和公益事业建设以及农村村民住宅建设的，应申请乡村建设规划许可；不得占用农用地，确需占用的应先办理农用地转用审批。\n"
                "农村村民住宅建设可与农村宅基地申请审批一并申请、一并办理。"
            ),
            materials=[
                app_form("乡村建设规划许可申请表"),
                id_card(copies=1, name="申请人居民身份证（或单位营业执照）"),
                material(
                    "土地使用证明",
                    form="copy",
                    copies=1,
                    source="government",
                    source_note="农村宅基地批准书或其他土地权属证明",
                    standard="用地位置、面积与申请一致",
                ),
                material(
                    "建设工程设计方案",
                    form="original",
                    copies=1,
                    source="applicant",
                    source_note="农村村民住宅可选用农房通用图集",
                    standard="标明位置、层数、高度和建筑面积",
                ),
                material(
                    "村民委员会意见",
                    form="original",
                    copies=1,
                    source="other",
                    source_note="村民委员会出具",
                    standard="加盖村民委员会印章",
                ),
            ],
            steps=[
                step("受理", "乡镇便民服务中心受理，审查后报县自然资源和规划局。", 2),
                step("审查", "县自然资源和规划局审查是否符合村庄规划和用途管制。", 6),
                step("核发", "符合条件的，核发乡村建设规划许可证。", 2),
            ],
            special_steps=[
                special("现场踏勘", "到拟建设地点现场核实位置和四至。", 3),
            ],
            statutory=20,
            promised=10,
            visits=2,
            result_type="certificate",
            result_name="乡村建设规划许可证",
            faq=[
                faq(
                    "翻建老房子也要办规划许可吗？",
                    "在原址拆除重建的，同样需要办理乡村建设规划许可。",
                ),
                faq("办许可证收费吗？", "不收费。"),
            ],
        ),
        level="county",
        frequency="forwarded",
        objects=("person", "organisation"),
        life_events=("农村建房",),
    ),
    item(
        "000110002000",
        "设施农业用地备案",
        "ziran",
        "other_administrative_power",
        "《自然资源部 农业农村部关于设施农业用地管理有关问题的通知》（自然资规〔2019〕4号）",
        guide(
            conditions="农业生产中直接用于作物种植和畜禽水产养殖的设施用地，以及与其相配套的看护、检验检疫、晾晒等辅助设施用地，由经营者与农村集体经济组织协商一致后，向乡镇人民政府备案；不得占用永久基本农田（符合规定的除外）。",
            materials=[
                app_form("设施农业用地备案表"),
                id_card(copies=1, name="经营者居民身份证（或营业执照）"),
                material(
                    "设施农业用地协议",
                    form="original",
                    copies=1,
                    source="other",
                    source_note="经营者与农村集体经济组织签订",
                    standard="载明用地位置、面积、用途、期限和复垦要求",
                ),
                material(
                    "设施建设方案和用地位置图",
                    form="original",
                    copies=1,
                    source="applicant",
                    source_note="申请人自备",
                    standard="标明设施类型、规模和用地范围",
                ),
            ],
            steps=[
                step("受理", "乡镇便民服务中心受理备案申请。", 1),
                step("审查", "乡镇会同自然资源所、农业农村部门核查用地是否符合规定。", 7),
                step("备案", "符合条件的予以备案，并上图入库。", 2),
            ],
            statutory=20,
            promised=10,
            visits=1,
            result_type="record",
            result_name="设施农业用地备案回执",
            faq=[
                faq(
                    "设施用完了土地怎么办？",
                    "设施农业用地不再使用的，须按协议恢复原用途（复垦）。",
                ),
            ],
        ),
        frequency="low",
        objects=("person", "organisation"),
    ),
]
