"""人社 — 社会保障卡 (domain defined in renshe)."""

from ._common import agent_id, app_form, faq, guide, id_card, item, material, photo, step

CARD_BASIS = (
    "《中华人民共和国社会保险法》第五十八条；《社会保障卡管理办法》（人社部发〔2011〕47号）"
)


def social_card(necessity: str = "required", condition: str = "") -> dict:
    return material(
        "社会保障卡",
        necessity=necessity,
        condition=condition,
        form="original",
        source="government",
        source_note="人力资源和社会保障部门发放",
        standard="卡面完好，持卡人与申请人一致",
    )


ITEMS = [
    item(
        "000108020000",
        "社会保障卡申领",
        "renshe",
        "public_service",
        CARD_BASIS,
        guide(
            conditions=(
                "参加社会保险或需要使用社会保障卡的居民（含新生儿），未持有有效社会保障卡的，可申请领取。\n"
                "在设有即时制卡点的便民服务中心可当场领卡；其他网点统一制卡后领取或邮寄。"
            ),
            materials=[
                id_card(
                    notes="新生儿未办理身份证的，提供户口簿和监护人居民身份证",
                ),
                photo(1, size="1寸", deferrable=True, notes="可在窗口现场采集数码照片"),
                app_form("社会保障卡申领登记表"),
                material(
                    "户口簿及监护人居民身份证",
                    necessity="conditional",
                    condition="为未成年人（含新生儿）申领的",
                    form="original",
                    source="government",
                    source_note="公安机关核发",
                    standard="能证明申领人与监护人的关系",
                ),
            ],
            steps=[
                step("申请", "到便民服务中心人社窗口或通过网上渠道提交申请。", 0),
                step("受理", "窗口核对身份、采集照片；即时制卡点当场制卡。", 0),
                step("制卡", "非即时制卡的，由制卡中心统一制作并配送到网点。", 20),
                step("领卡", "申请人凭身份证到窗口领卡，或选择邮寄到家。", 0),
            ],
            statutory=30,
            promised=20,
            deferral=True,
            visits=1,
            result_type="certificate",
            result_name="社会保障卡",
            faq=[
                faq(
                    "新生儿可以办社保卡吗？",
                    "可以。办理出生登记和医保参保后，监护人持户口簿和本人身份证即可为孩子申领。",
                ),
                faq(
                    "没带照片能办吗？",
                    "可以在窗口现场采集照片；也可先受理，在承诺期限内补交。",
                ),
            ],
        ),
        channels=("window", "online", "post"),
        express=True,
        appointment=True,
        life_events=("新生儿出生",),
    ),
    item(
        "000108021000",
        "社会保障卡启用",
        "renshe",
        "public_service",
        CARD_BASIS,
        guide(
            conditions="已领取社会保障卡、尚未启用社保应用功能的持卡人，本人到窗口或自助终端启用。",
            materials=[id_card(), social_card()],
            steps=[
                step("申请", "持卡人持身份证和社会保障卡到人社窗口或自助终端。", 0),
                step("启用", "核对身份后设置密码，当场启用社会保障应用功能。", 0),
            ],
            statutory=1,
            promised=0,
            visits=1,
            result_type="other",
            result_name="社会保障卡社保应用功能启用",
            faq=[
                faq(
                    "启用社保功能后，银行功能也能用了吗？",
                    "不一定。金融账户需到社会保障卡合作银行网点或按银行要求另行激活。",
                ),
            ],
        ),
        channels=("window", "kiosk"),
        life_events=("退休",),
    ),
    item(
        "000108022000",
        "社会保障卡密码修改与重置",
        "renshe",
        "public_service",
        CARD_BASIS,
        guide(
            conditions=(
                "记得原密码的，可凭原密码修改；忘记密码或密码锁定的，持卡人本人持身份证和社会保障卡到窗口重置。"
            ),
            materials=[id_card(), social_card()],
            steps=[
                step("申请", "持卡人本人到人社窗口或自助终端。", 0),
                step(
                    "修改或重置",
                    "修改：输入原密码后设置新密码；重置：核对身份后当场设置新密码。",
                    0,
                ),
            ],
            statutory=1,
            promised=0,
            visits=1,
            result_type="other",
            result_name="社会保障卡密码修改或重置",
            faq=[
                faq(
                    "社保卡密码和银行卡密码是一个吗？",
                    "不是。社保应用密码在人社窗口修改或重置；金融账户密码需到合作银行办理。",
                ),
                faq("可以让家人代办重置吗？", "密码重置须持卡人本人办理，不可代办。"),
            ],
        ),
        channels=("window", "kiosk"),
    ),
    item(
        "000108023000",
        "社会保障卡注销",
        "renshe",
        "public_service",
        CARD_BASIS,
        guide(
            conditions=(
                "持卡人死亡、出国（境）定居或因其他原因不再使用社会保障卡的，由本人或其亲属申请注销。\n"
                "注销后社保应用功能停止；金融账户的销户需到合作银行办理。"
            ),
            materials=[
                id_card(notes="持卡人死亡的，提供办理人身份证"),
                social_card(necessity="optional"),
                material(
                    "死亡证明",
                    necessity="conditional",
                    condition="持卡人死亡的",
                    form="original_and_copy",
                    copies=1,
                    source="other",
                    source_note="《居民死亡医学证明（推断）书》或公安机关注销户口证明",
                    standard="载明死亡人身份信息和死亡时间",
                ),
                agent_id("由亲属或他人代办的（持卡人死亡的除外）"),
            ],
            steps=[
                step("申请", "本人或亲属到人社窗口提出注销申请。", 0),
                step("审核注销", "窗口核对材料，在系统中注销社保应用功能。", 1),
            ],
            statutory=5,
            promised=1,
            visits=1,
            result_type="record",
            result_name="社会保障卡注销记录",
            faq=[
                faq(
                    "卡丢了还能注销吗？",
                    "能。社会保障卡为选交材料，卡已遗失的只需提供身份证明。",
                ),
            ],
        ),
        frequency="low",
        life_events=("身后事",),
    ),
]
