"""Enumerations of the catalogue (DOMAIN §4, GB/T 39554)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemType(models.TextChoices):
    LICENSING = "licensing", _("行政许可")
    CONFIRMATION = "confirmation", _("行政确认")
    PAYMENT = "payment", _("行政给付")
    ADJUDICATION = "adjudication", _("行政裁决")
    REWARD = "reward", _("行政奖励")
    FILING = "filing", _("行政备案")
    OTHER_POWER = "other_power", _("其他行政权力")
    PUBLIC_SERVICE = "public_service", _("公共服务")


class HandlingType(models.TextChoices):
    INSTANT = "instant", _("即办件")
    PROMISED = "promised", _("承诺件")


class LimitUnit(models.TextChoices):
    WORKDAYS = "workdays", _("工作日")
    NATURAL_DAYS = "days", _("自然日")
    HOURS = "hours", _("小时")


class OnlineDepth(models.IntegerChoices):
    # 网上办理深度: 一级 information only … 四级 全程网办
    INFORMATION = 1, _("一级：网上咨询")
    DOWNLOAD = 2, _("二级：网上下载表格")
    PRE_REVIEW = 3, _("三级：网上预审")
    FULL_ONLINE = 4, _("四级：全程网办")


class Channel(models.TextChoices):
    ONLINE = "online", _("网上办理")
    WINDOW = "window", _("窗口办理")
    POST = "post", _("邮寄办理")
    MOBILE = "mobile", _("移动端办理")
    KIOSK = "kiosk", _("自助终端办理")


class ResultType(models.TextChoices):
    LICENSE = "license", _("证照")
    DECISION = "decision", _("批文/决定书")
    FILING_RECEIPT = "receipt", _("备案回执")
    OTHER = "other", _("其他")


class CrossRegionScope(models.TextChoices):
    NONE = "none", _("不支持通办")
    CITY = "city", _("全市通办")
    PROVINCE = "province", _("全省通办")
    NATIONAL = "national", _("跨省通办")


class Audience(models.TextChoices):
    PERSON = "person", _("个人")
    COMPANY = "company", _("法人")
    BOTH = "both", _("个人和法人")


class PersonTheme(models.TextChoices):
    BIRTH = "birth", _("生育收养")
    EDUCATION = "education", _("教育科研")
    EMPLOYMENT = "employment", _("就业创业")
    MARRIAGE = "marriage", _("婚姻登记")
    HOUSING = "housing", _("住房保障")
    TRAFFIC = "traffic", _("交通出行")
    HEALTH = "health", _("医疗卫生")
    DISABILITY = "disability", _("残疾人服务")
    RETIREMENT = "retirement", _("退休养老")
    SOCIAL = "social", _("社会救助")
    INFORMATION = "information", _("信息公开")


class CompanyTheme(models.TextChoices):
    OPENING = "opening", _("开办设立")
    OPERATION = "operation", _("经营许可")
    INVESTMENT = "investment", _("投资建设")
    TRANSPORT = "transport", _("交通运输")
    ADVERTISING = "advertising", _("广告户外")
    ORGANISATION = "organisation", _("社会组织")
    CLOSING = "closing", _("注销退出")


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", _("申请人自备")
    AUTHORITY = "authority", _("政府部门核发")
    LICENSE = "license", _("可复用电子证照")
    INTERMEDIARY = "intermediary", _("中介机构出具")


class MaterialMedium(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子")
    EITHER = "either", _("纸质或电子")


class FieldType(models.TextChoices):
    TEXT = "text", _("单行文本")
    TEXTAREA = "textarea", _("多行文本")
    NUMBER = "number", _("数字")
    DATE = "date", _("日期")
    CHOICE = "choice", _("单选")
    MULTI_CHOICE = "multi_choice", _("多选")
    BOOLEAN = "boolean", _("是/否")
    ID_NUMBER = "id_number", _("身份证号码")
    USCC = "uscc", _("统一社会信用代码")
    PHONE = "phone", _("手机号码")
    ADDRESS = "address", _("地址")


class PrefillSource(models.TextChoices):
    NONE = "", _("不预填")
    PERSON_NAME = "person.name", _("申请人姓名")
    PERSON_ID = "person.id_number", _("申请人身份证号码")
    PERSON_PHONE = "person.phone", _("申请人手机号")
    PERSON_ADDRESS = "person.address", _("申请人地址")
    COMPANY_NAME = "company.name", _("企业名称")
    COMPANY_USCC = "company.uscc", _("统一社会信用代码")
    COMPANY_LEGAL_REP = "company.legal_rep_name", _("法定代表人")


class Stage(models.TextChoices):
    # The watched stages of a licensing item (DOMAIN §4: accept, review, decide, complete, deliver).
    ACCEPT = "accept", _("受理")
    REVIEW = "review", _("审查")
    DECIDE = "decide", _("决定")
    COMPLETE = "complete", _("办结")
    DELIVER = "deliver", _("送达")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    REVIEWED = "reviewed", _("审核通过")
    ANNOUNCED = "announced", _("公示中")
    EFFECTIVE = "effective", _("生效")
    SUPERSEDED = "superseded", _("已被替代")
    WITHDRAWN = "withdrawn", _("已撤回")


class ChangeKind(models.TextChoices):
    ADD = "add", _("新增")
    ADJUST = "adjust", _("调整")
    CANCEL = "cancel", _("取消")


class ReviewVerdict(models.TextChoices):
    PASS = "pass", _("通过")
    FAIL = "fail", _("不通过")
