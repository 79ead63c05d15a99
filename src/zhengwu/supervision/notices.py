"""Message templates of supervision (registered on import; events.py imports this module)."""

from django.utils.translation import gettext_lazy as _

from zhengwu.core.notify.templates import register_template

register_template(
    "supervision.warning_yellow",
    subject=_("办件预警（黄灯）"),
    body=_(
        "【电子监察】{department}办理的“{item}”（办件编号{number}）{stage}环节将于{due}到期，请及时办理。"
    ),
)
register_template(
    "supervision.warning_red",
    subject=_("办件超期（红灯）"),
    body=_(
        "【电子监察】{department}办理的“{item}”（办件编号{number}）{stage}环节已于{due}到期未办结，已超期。"
    ),
)
register_template(
    "supervision.card_issued",
    subject=_("电子监察亮牌"),
    body=_("【电子监察】{department}被亮{level}：{reason}"),
)
register_template(
    "supervision.correction_issued",
    subject=_("电子监察纠错单"),
    body=_("【电子监察】{department}收到纠错单“{title}”，请于{due}前整改并反馈。"),
)
register_template(
    "supervision.assessment_published",
    subject=_("绩效评估结果发布"),
    body=_(
        "【电子监察】{period}绩效评估结果已发布：{department}得分{score}，等级{grade}，"
        "在{total}个部门中排名第{rank}。"
    ),
)
