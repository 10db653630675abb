"""公安 — 户籍和证件事项 (县公安局签发，乡镇受理转报或由派出所户籍窗口办理)."""

from ._common import agent_id, domain, faq, fee, guide, hukou, id_card, item, material, step

DOMAIN = domain("gongan", "公安", "公安", "公安局", "other")

HOUSEHOLD_RULES = "《中华人民共和国户口登记条例》"
ID_LAW = "《中华人民共和国居民身份证法》"
ID_FEE_BASIS = (
    "《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）"
)


def death_certificate() -> dict:
    return material(
        "居民死亡医学证明（推断）书",
        form="original",
        copies=1,
        source="other",
        source_note="医疗卫生机构出具；非正常死亡的由公安机关出具死亡证明",
        standard="死者身份信息与户籍一致",
    )


def registration_form(name: str) -> dict:
    return material(
        name,
        form="original",
        copies=1,
        spec="A4",
        source="applicant",
        source_note="窗口领取，现场填写",
        standard="填写完整，申报人签字",
    )


ITEMS = [
    item(
        "000104001000",
        "居住证办理（转报）",
        "gongan",
        "public_service",
        "《居住证暂行条例》（国务院令第663号）第九条、第十条",
        guide(
            conditions=(
                "公民离开常住户口所在地，到本县居住半年以上，符合有合法稳定就业、合法稳定住所、连续就读条件之一的，可申领居住证。\n"
                "申领前应已在居住地办理居住登记。"
            ),
            materials=[
                id_card(copies=1),
                material(
                    "居住地住址证明",
                    form="original_and_copy",
                    copies=1,
                    source="applicant",
                    source_note="房屋产权证明、租赁合同或单位、学校出具的住宿证明",
                    standard="地址与居住登记一致",
                ),
                material(
                    "就业或就读证明",
                    necessity="conditional",
                    condition="以合法稳定就业或连续就读为条件申领的",
                    form="original_and_copy",
                    copies=1,
                    source="other",
                    source_note="劳动合同、营业执照、单位证明或学校就读证明",
                    standard="与申请人一致，在有效期内",
                ),
                registration_form("居住证申领登记表"),
            ],
            steps=[
                step("受理", "乡镇便民服务中心受理，现场采集照片，转报派出所。", 1),
                step("审核", "公安派出所核实居住和就业、就读情况。", 3),
                step("制证发放", "县公安局制作居住证，送达受理点通知领取。", 3),
            ],
            statutory=10,
            promised=7,
            visits=2,
            result_type="certificate",
            result_name="居住证",
            faq=[
                faq(
                    "办居住证要钱吗？",
                    "首次申领免收证件工本费；换领、补领的，按规定缴纳工本费。",
                ),
                faq("居住证每年要签注吗？", "需要。居住证每年签注一次，未签注的居住证自动失效。"),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("户籍迁移",),
    ),
    item(
        "000104002000",
        "居民身份证办理（含临时）（转报）",
        "gongan",
        "other_administrative_power",
        ID_LAW + "第八条、第十条；《临时居民身份证管理办法》（公安部令第78号）",
        guide(
            conditions=(
                "常住户口在本县的居民首次申领、到期换领、损坏换领或遗失补领居民身份证；在申领、换领、补领期间急需使用的，可同时申领临时居民身份证。\n"
                "申请人须本人到场采集照片和指纹；未满16周岁的由监护人陪同。"
            ),
            materials=[
                registration_form("居民身份证申领登记表"),
                hukou(
                    necessity="conditional",
                    condition="首次申领或户籍信息有变更的",
                ),
                id_card(
                    name="原居民身份证",
                    necessity="conditional",
                    condition="到期换领或损坏换领的",
                ),
                id_card(
                    name="监护人居民身份证",
                    necessity="conditional",
                    condition="未满16周岁的申请人由监护人陪同办理的",
                ),
                agent_id("无法亲自到场、按规定由他人代办领取的"),
            ],
            steps=[
                step("受理采集", "户籍窗口核对户籍信息，现场采集照片和指纹。", 0),
                step("审核签发", "县公安局审核签发。", 5),
                step("制证送达", "制证后送达受理点，申请人领取或选择邮寄。", 10),
            ],
            statutory=40,
            promised=15,
            fees=[
                fee(
                    "居民身份证工本费",
                    "每证20元",
                    ID_FEE_BASIS,
                    "城市最低生活保障对象、农村有特殊生活困难的居民首次申领和换领时免收",
                ),
                fee("临时居民身份证工本费", "每证10元", ID_FEE_BASIS),
            ],
            visits=1,
            result_type="certificate",
            result_name="居民身份证或临时居民身份证",
            faq=[
                faq(
                    "身份证快到期了，什么时候可以换？",
                    "有效期满前3个月内即可申请换领。",
                ),
                faq(
                    "人在外地，能在当地换身份证吗？",
                    "可以。居民身份证异地换领、补领已全国通办，可在现居住地公安机关户籍窗口办理。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        channels=("window", "post"),
        express=True,
    ),
    item(
        "000104003000",
        "出生登记（转报）",
        "gongan",
        "administrative_confirmation",
        HOUSEHOLD_RULES + "第七条",
        guide(
            conditions="婴儿出生后一个月以内，由户主、亲属或抚养人向婴儿常住地户口登记机关申报出生登记；可在便民服务中心通过“新生儿出生一件事”一并申请。",
            materials=[
                material(
                    "出生医学证明",
                    form="original_and_copy",
                    copies=1,
                    source="other",
                    source_note="助产医疗机构签发",
                    standard="婴儿姓名、出生日期和父母信息清晰",
                ),
                hukou(pages="随其落户的父亲或母亲户口簿"),
                id_card(copies=1, name="父母双方居民身份证"),
                material(
                    "结婚证",
                    necessity="conditional",
                    condition="父母为夫妻关系的（非婚生育的按规定提供其他证明材料）",
                    form="original_and_copy",
                    copies=1,
                    source="government",
                    source_note="婚姻登记机关核发",
                    standard="持证人与父母一致",
                ),
            ],
            steps=[
                step("受理", "便民服务中心或派出所户籍窗口受理，转派出所。", 0),
                step("登记", "派出所核对后办理出生登记，在户口簿上增加婴儿户口页。", 1),
            ],
            statutory=5,
            promised=1,
            visits=1,
            result_type="record",
            result_name="户口登记（户口簿新增户口页）",
            faq=[
                faq(
                    "超过一个月才来上户口，还能办吗？",
                    "能办理，但应及时申报；逾期的按规定说明原因。",
                ),
                faq("孩子随父落户还是随母落户？", "可以自愿选择随父亲或母亲落户。"),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("新生儿出生",),
    ),
    item(
        "000104004000",
        "死亡注销户口（转报）",
        "gongan",
        "administrative_confirmation",
        HOUSEHOLD_RULES + "第八条",
        guide(
            conditions="公民死亡后，农村在一个月以内、城市在葬前，由户主、亲属、抚养人或邻居向户口登记机关申报死亡登记，注销户口。",
            materials=[
                death_certificate(),
                hukou(pages="死者所在户户口簿"),
                id_card(name="申报人居民身份证"),
                id_card(
                    name="死者居民身份证",
                    necessity="conditional",
                    condition="死者生前领有居民身份证的（交回注销）",
                ),
            ],
            steps=[
                step("受理", "便民服务中心或派出所户籍窗口受理，转派出所。", 0),
                step("注销", "派出所核对后注销户口，可出具注销户口证明。", 1),
            ],
            statutory=5,
            promised=1,
            visits=1,
            result_type="record",
            result_name="户口注销记录及注销户口证明",
            faq=[
                faq(
                    "注销户口后还要办哪些事？",
                    "可一并办理“身后事一件事”：社会保障卡注销、城乡居民养老保险注销登记和惠民殡葬补贴等。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("身后事",),
    ),
]
