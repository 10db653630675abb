"""The standard reasons and conduct tags, loaded by migration 0002 and editable in the admin.

Reasons: GB/T 39735-2020 / 国办发〔2019〕51号 — on-site (服务效率, 服务水平, 服务态度) and online
(办事效率, 办事指南精确度, 办事便捷度, 平台操作性).

Conduct: the policy (三(二)) names 冷硬横推 and 庸懒散松 and the “十严禁” responsibility list without
quoting it, and neither /work/shared/seed nor /work/shared/data holds its text. The ten items
below are a typical list of prohibitions for window staff, to be checked against the county's
official document and edited in the admin (docs/ratings.md says so).
"""

REASONS = [
    ("offline", "service_efficiency", "服务效率"),
    ("offline", "service_level", "服务水平"),
    ("offline", "service_attitude", "服务态度"),
    ("online", "handling_efficiency", "办事效率"),
    ("online", "guide_accuracy", "办事指南精确度"),
    ("online", "convenience", "办事便捷度"),
    ("online", "platform_usability", "平台操作性"),
]

CONDUCT_TAGS = [
    ("cold_hard", "cold", "冷：态度冷漠、爱理不理"),
    ("cold_hard", "hard", "硬：语言生硬、简单粗暴"),
    ("cold_hard", "harsh", "横：态度蛮横、刁难群众"),
    ("cold_hard", "shirk", "推：推诿扯皮、敷衍塞责"),
    ("lax", "mediocre", "庸：能力不足、业务不精"),
    ("lax", "lazy", "懒：工作懒散、不愿担当"),
    ("lax", "slack", "散：纪律松散、擅离岗位"),
    ("lax", "loose", "松：要求松懈、标准不严"),
    ("ten", "ten_01", "严禁对群众态度冷漠、言行粗暴"),
    ("ten", "ten_02", "严禁推诿扯皮、刁难群众"),
    ("ten", "ten_03", "严禁随意增加办事材料和环节"),
    ("ten", "ten_04", "严禁超时限办理、拖延办理"),
    ("ten", "ten_05", "严禁吃拿卡要、收受财物"),
    ("ten", "ten_06", "严禁违规收费、乱收费"),
    ("ten", "ten_07", "严禁擅离岗位、上班时间做与工作无关的事"),
    ("ten", "ten_08", "严禁泄露群众个人信息和商业秘密"),
    ("ten", "ten_09", "严禁以各种理由拒绝受理或“体外循环”"),
    ("ten", "ten_10", "严禁诱导、干预群众评价或弄虚作假"),
]


def load(Reason, ConductTag) -> None:
    for order, (group, code, name) in enumerate(REASONS):
        Reason.objects.update_or_create(
            code=code, defaults={"group": group, "name": name, "order": order}
        )
    for order, (group, code, name) in enumerate(CONDUCT_TAGS):
        ConductTag.objects.update_or_create(
            code=code, defaults={"group": group, "name": name, "order": order}
        )
