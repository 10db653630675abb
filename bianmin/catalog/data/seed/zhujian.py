"""住建 — 农村危房改造与公共租赁住房."""

from ._common import (
    app_form,
    domain,
    economic_authorisation,
    faq,
    guide,
    hukou,
    id_card,
    item,
    material,
    special,
    step,
)

DOMAIN = domain("zhujian", "住建", "住房和城乡建设", "住房和城乡建设局", "other")

ITEMS = [
    item(
        "000111001000",
        "农村危房改造",
        "zhujian",
        "administrative_payment",
        "《住房和城乡建设部 财政部 民政部 国家乡村振兴局关于做好农村低收入群体等重点对象住房安全保障工作的实施意见》（建村〔2021〕35号）",
        guide(
            conditions=(
                "农村低保户、分散供养特困人员、低保边缘家庭、因病因灾因意外事故等导致基本生活严重困难的家庭，以及未享受过农村住房保障政策支持且依靠自身力量无法解决住房安全问题的其他脱贫户，住房经鉴定为C级或D级危房的，可申请危房改造补助。"
            ),
            materials=[
                app_form("农村危房改造申请表"),
                id_card(copies=1, name="户主居民身份证"),
                hukou(copies=1, pages="户主页及全家成员页"),
                material(
                    "身份类别证明",
                    necessity="conditional",
                    condition="无法通过民政、乡村振兴等部门信息核实身份类别的",
                    form="copy",
                    copies=1,
                    source="government",
                    source_note="民政等部门出具",
                    standard="与申请户一致",
                ),
                material(
                    "住房现状照片",
                    necessity="optional",
                    form="original",
                    copies=1,
                    source="applicant",
                    source_note="申请人自备，或由村（居）委会工作人员拍摄",
                    standard="能反映房屋外观和主要危险部位",
                ),
            ],
            steps=[
                step("申请", "农户向村（居）委会或乡镇便民服务中心提出申请。", 0),
                step("乡镇审核", "乡镇审核申请并组织房屋安全鉴定，报县。", 10),
                step("县级审批", "县住房和城乡建设局会同民政等部门比对身份、审批。", 10),
            ],
            special_steps=[
                special("房屋危险性鉴定", "按农村住房安全性鉴定技术导则鉴定房屋危险等级。", 10),
                special("村级评议公示", "村（居）民委员会组织评议并公示改造对象。", 7),
                special("竣工验收", "改造完成后，县、乡镇组织验收，验收合格后拨付补助资金。", 10),
            ],
            statutory=30,
            promised=20,
            visits=1,
            result_type="payment",
            result_name="农村危房改造补助资金",
            faq=[
                faq(
                    "补助资金什么时候拿到？",
                    "改造竣工验收合格后，补助资金通过“一卡通”直接拨付到农户账户。",
                ),
                faq(
                    "改造面积有限制吗？",
                    "改造后住房应满足基本居住需要，面积按本省规定控制，不得盲目扩大。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("住房保障",),
    ),
    item(
        "000111002000",
        "公共租赁住房申请（转报）",
        "zhujian",
        "public_service",
        "《公共租赁住房管理办法》（住房和城乡建设部令第11号）",
        guide(
            conditions="在本县无房或住房困难，家庭收入、财产状况符合县政府规定标准的城镇住房困难家庭、新就业无房职工和在本县稳定就业的外来务工人员，可申请公共租赁住房。",
            materials=[
                app_form("公共租赁住房申请表"),
                id_card(copies=1, name="家庭成员居民身份证"),
                hukou(copies=1, pages="户主页及全家成员页"),
                economic_authorisation(),
                material(
                    "就业证明",
                    necessity="conditional",
                    condition="新就业无房职工或外来务工人员申请的",
                    form="original",
                    copies=1,
                    source="other",
                    source_note="用人单位出具的劳动合同或就业证明",
                    standard="在有效期内",
                ),
            ],
            steps=[
                step("受理", "乡镇便民服务中心受理，初审后报县。", 5),
                step("审核", "县住房保障部门会同民政等部门核对收入、财产和住房情况。", 10),
                step("轮候", "审核通过的进入轮候，按规定配租。", 5),
            ],
            special_steps=[
                special("公示", "审核结果在申请人户籍地或工作单位、县住房保障部门网站公示。", 7),
            ],
            statutory=30,
            promised=20,
            visits=1,
            result_type="approval_document",
            result_name="公共租赁住房保障资格确认",
            faq=[
                faq(
                    "审核通过就能马上住进去吗？",
                    "审核通过后进入轮候，按轮候顺序配租；轮候期一般不超过5年。",
                ),
            ],
        ),
        level="county",
        frequency="forwarded",
        life_events=("住房保障",),
    ),
]
