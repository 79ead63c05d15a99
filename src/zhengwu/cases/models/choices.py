"""Choice sets of the case domain (DOMAIN §1, §3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("暂存")
    SUBMITTED = "submitted", _("待受理")  # received (接件), the 5-working-day acceptance clock runs
    SUPPLEMENT = "supplement", _("待补正")  # a supplement notice is out; waiting for the applicant
    ACCEPTED = "accepted", _("审查中")  # accepted; the decision clock runs through the steps
    SUSPENDED = "suspended", _("特别程序")  # clock stopped
    DECIDED = "decided", _("已决定")  # granted or denied; the delivery clock runs
    COMPLETED = "completed", _("已办结")  # 办结: result documents ready, waiting for delivery
    DELIVERED = "delivered", _("已送达")  # result handed over
    REJECTED = "rejected", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")
    TERMINATED = "terminated", _("已终止")


OPEN_STATUSES = (
    CaseStatus.SUBMITTED,
    CaseStatus.SUPPLEMENT,
    CaseStatus.ACCEPTED,
    CaseStatus.SUSPENDED,
    CaseStatus.DECIDED,
    CaseStatus.COMPLETED,
)
CLOSED_STATUSES = (CaseStatus.DELIVERED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN, CaseStatus.TERMINATED)


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("自然人")
    COMPANY = "company", _("法人或其他组织")


class IntakeChannel(models.TextChoices):
    ONLINE = "online", _("网上申请")
    WINDOW = "window", _("窗口接件")
    MOBILE = "mobile", _("移动端")
    POST = "post", _("邮寄")
    KIOSK = "kiosk", _("自助终端")
    EXCHANGE = "exchange", _("外部系统")


class AcceptanceMode(models.TextChoices):
    NORMAL = "normal", _("一般受理")
    DEFICIENCY = "deficiency", _("容缺受理")
    COMMITMENT = "commitment", _("告知承诺")
    IMMEDIATE = "immediate", _("即办")


class Decision(models.TextChoices):
    GRANT = "grant", _("准予")
    DENY = "deny", _("不予")


class DeliveryMethod(models.TextChoices):
    WINDOW = "window", _("窗口领取")
    POST = "post", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")


class MaterialState(models.TextChoices):
    MISSING = "missing", _("未提交")
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("核验通过")
    DEFECTIVE = "defective", _("需补正")
    DEFERRED = "deferred", _("容缺后补")


class StepStatus(models.TextChoices):
    PENDING = "pending", _("未开始")
    ACTIVE = "active", _("办理中")
    DONE = "done", _("已完成")
    RETURNED = "returned", _("已退回")
    DEEMED = "deemed", _("超时默认")


class Opinion(models.TextChoices):
    AGREE = "agree", _("同意")
    DISAGREE = "disagree", _("不同意")
    RETURN = "return", _("退回上一环节")


class SuspensionKind(models.TextChoices):
    HEARING = "hearing", _("听证")
    TENDER = "tender", _("招标")
    AUCTION = "auction", _("拍卖")
    INSPECTION = "inspection", _("检验")
    TESTING = "testing", _("检测")
    QUARANTINE = "quarantine", _("检疫")
    APPRAISAL = "appraisal", _("鉴定")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    SITE_CHECK = "site_check", _("现场核查")


class ExtensionStatus(models.TextChoices):
    REQUESTED = "requested", _("待批准")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class TerminationReason(models.TextChoices):
    DEFICIENCY_OVERDUE = "deficiency_overdue", _("容缺材料逾期未补齐")
    COMMITMENT_FALSE = "commitment_false", _("承诺内容与实际不符")
    SUPPLEMENT_OVERDUE = "supplement_overdue", _("逾期未补正")
    APPLICANT_REQUEST = "applicant_request", _("申请人申请终止")
    OTHER = "other", _("其他")


class DocumentKind(models.TextChoices):
    RECEIPT = "receipt", _("收件凭证")
    ACCEPTANCE = "acceptance", _("受理通知书")
    REJECTION = "rejection", _("不予受理决定书")
    SUPPLEMENT = "supplement", _("补正材料告知书")
    DEFICIENCY = "deficiency", _("容缺受理通知书")
    SUSPENSION = "suspension", _("特别程序告知书")
    EXTENSION = "extension", _("延期告知书")
    GRANT = "grant", _("准予许可决定书")
    DENIAL = "denial", _("不予许可决定书")
    TERMINATION = "termination", _("终止办理告知书")


class BundleStatus(models.TextChoices):
    DRAFT = "draft", _("暂存")
    IN_PROGRESS = "in_progress", _("办理中")
    DECIDED = "decided", _("全部决定")
    DELIVERED = "delivered", _("已统一出件")
    CLOSED = "closed", _("已结束")
