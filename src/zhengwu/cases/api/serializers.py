"""Serializers of the case API: what goes out (read-only) and what comes in (validated, then handed
to a service as keyword arguments). Business rules stay in the services; these only check shapes."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    AcceptanceMode,
    ApplicantKind,
    CaseStatus,
    Decision,
    DeliveryMethod,
    DocumentKind,
    ExtensionStatus,
    IntakeChannel,
    MaterialState,
    Opinion,
    StepStatus,
    SuspensionKind,
    TerminationReason,
)

LIGHTS = ["green", "yellow", "red"]


class EnumField(serializers.ChoiceField):
    """A ChoiceField whose enum is written inline in the schema, with its Chinese labels.

    Several case fields share a name with other apps' choice fields ("status", "kind", "channel");
    drf-spectacular would otherwise pull every enum into a component named after the field and, on a
    clash, invent a hashed name (and warn). Wrapping the enum in `allOf` keeps it inline.
    """

    def __init__(self, *, choices: Any, **kwargs: Any) -> None:
        super().__init__(choices=choices, **kwargs)
        labels = "；".join(f"{key}：{label}" for key, label in self.choices.items())
        help_text = str(self.help_text or "")
        schema: dict[str, Any] = {
            "allOf": [{"type": "string", "enum": [str(k) for k in self.choices]}],
            "description": f"{help_text}（{labels}）" if help_text else labels,
        }
        if self.allow_null:
            schema["nullable"] = True
        set_override(self, "field", schema)


def file_url(file_id: Any) -> str:
    return reverse("files:download", kwargs={"file_id": file_id})


# --- out: shared pieces ---------------------------------------------------------------------


class DeadlineOut(serializers.Serializer):
    label = serializers.CharField(help_text="期限名称")  # type: ignore[assignment]  # a field, not Field.label
    due = serializers.DateField(allow_null=True, help_text="最后一日（至该日 24 时）")
    left = serializers.IntegerField(
        allow_null=True, help_text="剩余工作日：当日为 0，超期为负；暂停或已结束时为空"
    )
    light = EnumField(choices=LIGHTS, help_text="红黄绿灯")


class ApplicantDeadlineOut(serializers.Serializer):
    label = serializers.CharField(help_text="期限名称")  # type: ignore[assignment]  # a field, not Field.label
    due = serializers.DateField(help_text="最后一日（至该日 24 时）")
    met = serializers.BooleanField(help_text="该环节已完成")


class CaseFileOut(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    round = serializers.IntegerField(help_text="0 为申请时上传，n 为第 n 次补正")
    uploaded_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, obj: Any) -> str:
        return file_url(obj.file_id)


class MaterialOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    required = serializers.BooleanField()  # type: ignore[assignment]  # a field, not Field.required
    deferrable = serializers.BooleanField()
    state = EnumField(choices=MaterialState.choices)
    check_note = serializers.CharField()
    deferred_until = serializers.DateField(allow_null=True)
    files = serializers.SerializerMethodField()

    @extend_schema_field(CaseFileOut(many=True))
    def get_files(self, obj: Any) -> Any:
        files = [f for f in obj.files.all() if not f.removed]
        return CaseFileOut(files, many=True).data


class TimelineOut(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField(help_text="事件类型（去掉 cases. 前缀）")
    title = serializers.CharField()
    summary = serializers.CharField()
    channel = serializers.CharField()


class StaffTimelineOut(TimelineOut):
    actor_name = serializers.CharField()
    window_id = serializers.IntegerField(allow_null=True)
    public = serializers.BooleanField(help_text="申请人可见")


class DocumentOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = EnumField(choices=DocumentKind.choices)
    number = serializers.CharField()
    title = serializers.CharField()
    issued_at = serializers.DateTimeField()
    is_result = serializers.BooleanField(help_text="审批结果文书")
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, obj: Any) -> str:
        return file_url(obj.file_id)


class SupplementItemOut(serializers.Serializer):
    material_id = serializers.IntegerField()
    name = serializers.CharField(required=False)
    reason = serializers.CharField(required=False)


class SupplementOut(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField()
    items = SupplementItemOut(many=True)
    note = serializers.CharField()
    issued_at = serializers.DateTimeField()
    late = serializers.BooleanField(help_text="超过受理期限才发出：自收件之日起即为受理")
    answered_at = serializers.DateTimeField(allow_null=True)


class SuspensionOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = EnumField(choices=SuspensionKind.choices)
    reason = serializers.CharField()
    expected_workdays = serializers.IntegerField()
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    workdays = serializers.IntegerField()
    result = serializers.CharField()


class ExtensionOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    workdays = serializers.IntegerField()
    reason = serializers.CharField()
    status = EnumField(choices=ExtensionStatus.choices)
    requested_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_comment = serializers.CharField()


class StepOut(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    name = serializers.CharField()
    stage = serializers.CharField()
    role = serializers.CharField()
    limit = serializers.IntegerField(help_text="环节时限（工作日）")
    status = EnumField(choices=StepStatus.choices)
    assignee_id = serializers.IntegerField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    opinion = serializers.CharField()
    comment = serializers.CharField()


# --- out: cases -----------------------------------------------------------------------------


class CaseSummaryOut(serializers.Serializer):
    """One row of a case list."""

    id = serializers.IntegerField()
    number = serializers.CharField(help_text="办件编号（暂存时为空）")
    item_id = serializers.IntegerField()
    item_name = serializers.CharField()
    department_id = serializers.IntegerField()
    status = EnumField(choices=CaseStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    channel = EnumField(choices=IntakeChannel.choices)
    bundle_case_id = serializers.IntegerField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    promised_due = serializers.DateField(allow_null=True)
    decision = serializers.CharField()
    updated_at = serializers.DateTimeField()


class CaseBaseOut(CaseSummaryOut):
    public_id = serializers.UUIDField()
    revision = serializers.IntegerField(help_text="操作时回传，用于发现页面已过期（409）")
    implementation_code = serializers.CharField()
    item_version_id = serializers.IntegerField()
    applicant_kind = EnumField(choices=ApplicantKind.choices)
    applicant_name = serializers.CharField()
    company_id = serializers.IntegerField(allow_null=True)
    form_data = serializers.JSONField()
    acceptance_mode = serializers.CharField()
    decision_reason = serializers.CharField()
    decision_legal_basis = serializers.CharField()
    termination_reason = serializers.CharField()
    rejection_reasons = serializers.JSONField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    accepted_on = serializers.DateField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    acceptance_due = serializers.DateField(allow_null=True)
    statutory_due = serializers.DateField(allow_null=True)
    delivery_due = serializers.DateField(allow_null=True)
    deficiency_due = serializers.DateField(allow_null=True)
    suspended_workdays = serializers.IntegerField()
    extension_workdays = serializers.IntegerField()
    delivery_method = serializers.CharField()
    tracking_number = serializers.CharField()


class ApplicantCaseOut(serializers.Serializer):
    """An applicant's own case with everything the "my case" page shows."""

    case = CaseBaseOut()
    query_code = serializers.CharField(help_text="查询码（与办件编号一起用于公开进度查询）")
    deadlines = ApplicantDeadlineOut(many=True)
    materials = MaterialOut(many=True)
    timeline = TimelineOut(many=True, help_text="对申请人公开的办理记录")
    documents = DocumentOut(many=True)
    supplements = SupplementOut(many=True)
    suspensions = SuspensionOut(many=True)
    can_edit = serializers.BooleanField(help_text="暂存中，可修改表单和材料")
    can_withdraw = serializers.BooleanField()
    open_supplement = SupplementOut(allow_null=True, help_text="待补正的告知书：只能补交其中列出的材料")


class ReceiptOut(serializers.Serializer):
    """收件凭证: what the applicant keeps after submitting (the number and the query code)."""

    id = serializers.IntegerField()
    number = serializers.CharField(help_text="办件编号")
    query_code = serializers.CharField(help_text="查询码（与办件编号一起用于公开进度查询）")
    status = EnumField(choices=CaseStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    item_name = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    acceptance_due = serializers.DateField(
        help_text="受理期限：收件后 5 个工作日内受理、不予受理或一次性告知补正"
    )
    detail_url = serializers.SerializerMethodField(help_text="办件详情接口")

    def get_detail_url(self, obj: Any) -> str:
        return reverse("cases_api:mine-detail", kwargs={"case_id": obj.pk})

    def to_representation(self, instance: Any) -> dict[str, Any]:
        """Every submission answers with a receipt, so it is built directly: DRF copies each declared
        field per instance, which cost 0.4 ms of the request's ~8 ms. The API tests hold it to what
        the declared fields give (they remain the schema)."""
        return {
            "id": instance.pk,
            "number": instance.number,
            "query_code": instance.query_code,
            "status": instance.status,
            "status_label": str(CaseStatus(instance.status).label),
            "item_name": instance.item_name,
            "submitted_at": _DATETIME.to_representation(instance.submitted_at),
            "acceptance_due": instance.acceptance_due.isoformat(),
            "detail_url": self.get_detail_url(instance),
        }


_DATETIME = serializers.DateTimeField()


class ApplicantOut(serializers.Serializer):
    kind = EnumField(choices=ApplicantKind.choices)
    name = serializers.CharField()
    id_number_masked = serializers.CharField()
    phone_masked = serializers.CharField()
    contact_name = serializers.CharField()


class StaffCaseOut(serializers.Serializer):
    """A case as the workbench sees it (personal data masked; the full ID number is on the page,
    where its reading is audited)."""

    case = CaseBaseOut()
    applicant = ApplicantOut()
    window_id = serializers.IntegerField(allow_null=True)
    green_channel = serializers.BooleanField()
    deadlines = DeadlineOut(many=True)
    materials = MaterialOut(many=True)
    steps = StepOut(many=True)
    timeline = StaffTimelineOut(many=True)
    documents = DocumentOut(many=True)
    supplements = SupplementOut(many=True)
    suspensions = SuspensionOut(many=True)
    extensions = ExtensionOut(many=True)
    active_step_id = serializers.IntegerField(allow_null=True)


class QueueRowOut(serializers.Serializer):
    case = CaseSummaryOut()
    applicant_name = serializers.CharField()
    id_number_masked = serializers.CharField()
    green_channel = serializers.BooleanField()
    acceptance = DeadlineOut()


class TaskRowOut(serializers.Serializer):
    step = StepOut()
    case = CaseSummaryOut()
    green_channel = serializers.BooleanField()
    due = DeadlineOut(help_text="环节期限")
    promised = DeadlineOut(help_text="承诺办结期限")


class BundleCaseOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    bundle_id = serializers.IntegerField()
    bundle_name = serializers.CharField(source="bundle.name")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    channel = serializers.CharField()
    form_data = serializers.JSONField()
    deemed_consent = serializers.BooleanField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    revision = serializers.IntegerField()


class BundleDetailOut(serializers.Serializer):
    bundle = BundleCaseOut()
    query_code = serializers.CharField()
    cases = CaseSummaryOut(many=True)


class ProgressStepOut(serializers.Serializer):
    at = serializers.DateTimeField()
    title = serializers.CharField()


class ProgressOut(serializers.Serializer):
    """The public progress page: no name, no ID number, no phone, no address, no form data."""

    number = serializers.CharField()
    item_name = serializers.CharField()
    department_name = serializers.CharField()
    status = EnumField(choices=CaseStatus.choices)
    status_label = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    deadlines = ApplicantDeadlineOut(many=True)
    steps = ProgressStepOut(many=True, help_text="公开的办理记录")


# --- in -------------------------------------------------------------------------------------


class RevisionIn(serializers.Serializer):
    revision = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="页面显示时的版本号；不一致时返回 409"
    )


class DraftCreateIn(serializers.Serializer):
    item_id = serializers.IntegerField(label=_("事项"), min_value=1)
    company_id = serializers.IntegerField(
        label=_("企业"), required=False, allow_null=True, min_value=1, help_text="以企业经办人身份申请时填写"
    )
    form_data = serializers.DictField(label=_("表单数据"), required=False, default=dict)
    channel = EnumField(
        label=_("申请渠道"),
        choices=[IntakeChannel.ONLINE, IntakeChannel.MOBILE, IntakeChannel.KIOSK],
        default=IntakeChannel.ONLINE,
    )


class BundleDraftCreateIn(serializers.Serializer):
    bundle_id = serializers.IntegerField(label=_("一件事"), min_value=1)
    item_ids = serializers.ListField(
        label=_("选办事项"),
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_null=True,
        help_text="不填为全部必办事项和可选事项",
    )
    company_id = serializers.IntegerField(label=_("企业"), required=False, allow_null=True, min_value=1)
    form_data = serializers.DictField(label=_("表单数据"), required=False, default=dict)
    channel = EnumField(
        label=_("申请渠道"),
        choices=[IntakeChannel.ONLINE, IntakeChannel.MOBILE, IntakeChannel.KIOSK],
        default=IntakeChannel.ONLINE,
    )


class FormUpdateIn(RevisionIn):
    form_data = serializers.DictField(label=_("表单数据"))


class UploadIn(serializers.Serializer):
    file = serializers.FileField(label=_("文件"), help_text="PDF、JPG、PNG 等；类型按内容识别，大小有上限")


class WithdrawIn(serializers.Serializer):
    reason = serializers.CharField(
        label=_("撤回原因"), required=False, allow_blank=True, max_length=500, default=""
    )


class ApplicantDataIn(serializers.Serializer):
    kind = EnumField(label=_("申请人类型"), choices=ApplicantKind.choices)
    name = serializers.CharField(label=_("申请人"), max_length=128)
    id_number = serializers.CharField(
        label=_("证件号码"), max_length=18, help_text="身份证号码或统一社会信用代码"
    )
    phone = serializers.CharField(
        label=_("联系电话"), max_length=20, required=False, allow_blank=True, default=""
    )
    address = serializers.CharField(
        label=_("联系地址"), max_length=255, required=False, allow_blank=True, default=""
    )
    contact_name = serializers.CharField(
        label=_("经办人"), max_length=64, required=False, allow_blank=True, default=""
    )


class WalkInDraftIn(serializers.Serializer):
    item_id = serializers.IntegerField(label=_("事项"), min_value=1)
    window_id = serializers.IntegerField(label=_("窗口"), min_value=1)
    applicant = ApplicantDataIn()
    form_data = serializers.DictField(label=_("表单数据"), required=False, default=dict)
    green_channel = serializers.BooleanField(label=_("绿色通道"), required=False, default=False)


class AcceptIn(RevisionIn):
    window_id = serializers.IntegerField(label=_("窗口"), required=False, allow_null=True, min_value=1)
    mode = EnumField(
        label=_("受理方式"),
        choices=[AcceptanceMode.NORMAL, AcceptanceMode.COMMITMENT, AcceptanceMode.IMMEDIATE],
        default=AcceptanceMode.NORMAL,
    )
    checks = serializers.DictField(
        label=_("材料核验"),
        child=serializers.BooleanField(),
        required=False,
        allow_null=True,
        help_text="材料标识 → 是否通过核验；不填时有文件即视为通过",
    )


class RejectIn(RevisionIn):
    reasons = serializers.ListField(
        label=_("不予受理理由"), child=serializers.CharField(max_length=200), min_length=1
    )
    text = serializers.CharField(label=_("说明"), required=False, allow_blank=True, default="")
    legal_basis = serializers.CharField(label=_("法律依据"))
    remedy = serializers.CharField(label=_("救济途径"), required=False, allow_blank=True, default="")


class SupplementItemIn(serializers.Serializer):
    material_id = serializers.IntegerField(label=_("材料"), min_value=1)
    reason = serializers.CharField(label=_("补正原因"), max_length=255)


class SupplementRequestIn(RevisionIn):
    items = SupplementItemIn(label=_("补正清单"), many=True, allow_empty=False)
    note = serializers.CharField(label=_("说明"), required=False, allow_blank=True, default="")


class DeferredIn(serializers.Serializer):
    material_id = serializers.IntegerField(label=_("材料"), min_value=1)
    supply_by = serializers.DateField(label=_("承诺补齐日期"))


class DeficiencyAcceptIn(RevisionIn):
    deferred = DeferredIn(label=_("容缺材料"), many=True, allow_empty=False)
    commitment_signed = serializers.BooleanField(label=_("已签署承诺书"))
    window_id = serializers.IntegerField(label=_("窗口"), required=False, allow_null=True, min_value=1)


class StepCompleteIn(RevisionIn):
    opinion = EnumField(label=_("意见"), choices=[Opinion.AGREE, Opinion.DISAGREE])
    comment = serializers.CharField(label=_("办理意见"), allow_blank=True)
    reason = serializers.CharField(label=_("不予许可理由"), required=False, allow_blank=True, default="")
    legal_basis = serializers.CharField(label=_("不予许可依据"), required=False, allow_blank=True, default="")
    attachment_ids = serializers.ListField(
        label=_("附件"), child=serializers.UUIDField(), required=False, default=list
    )


class StepReturnIn(RevisionIn):
    comment = serializers.CharField(label=_("退回理由"))


class StepTransferIn(serializers.Serializer):
    to_user_id = serializers.IntegerField(label=_("转交给"), min_value=1)
    comment = serializers.CharField(label=_("说明"), required=False, allow_blank=True, default="")


class SuspendIn(RevisionIn):
    kind = EnumField(label=_("特别程序种类"), choices=SuspensionKind.choices)
    reason = serializers.CharField(label=_("理由"))
    expected_workdays = serializers.IntegerField(label=_("预计时长（工作日）"), min_value=1, max_value=365)


class ResumeIn(RevisionIn):
    result = serializers.CharField(label=_("特别程序结果"), required=False, allow_blank=True, default="")


class ExtensionRequestIn(serializers.Serializer):
    reason = serializers.CharField(label=_("延期理由"))


class ExtensionDecideIn(serializers.Serializer):
    approve = serializers.BooleanField(label=_("批准"))
    comment = serializers.CharField(label=_("批示"), required=False, allow_blank=True, default="")


class DecideIn(RevisionIn):
    decision = EnumField(label=_("审批结果"), choices=Decision.choices)
    reason = serializers.CharField(label=_("理由"), required=False, allow_blank=True, default="")
    legal_basis = serializers.CharField(label=_("依据"), required=False, allow_blank=True, default="")


class TerminateIn(serializers.Serializer):
    reason = EnumField(label=_("终止原因"), choices=TerminationReason.choices)
    text = serializers.CharField(label=_("说明"), required=False, allow_blank=True, default="")


class DeliverIn(RevisionIn):
    method = EnumField(label=_("送达方式"), choices=DeliveryMethod.choices)
    tracking_number = serializers.CharField(label=_("邮件单号"), required=False, allow_blank=True, default="")
    delivered_to = serializers.CharField(label=_("签收人"), required=False, allow_blank=True, default="")
    address = serializers.CharField(label=_("邮寄地址"), required=False, allow_blank=True, default="")


class TaskFilterIn(serializers.Serializer):
    item = serializers.IntegerField(required=False, min_value=1)
    light = EnumField(choices=LIGHTS, required=False)
    green = serializers.BooleanField(required=False, default=False)
    sort = EnumField(
        choices=["due", "-due", "received", "-received", "item", "-item"], required=False, default="due"
    )


class ProgressIn(serializers.Serializer):
    number = serializers.CharField(label=_("办件编号"), max_length=48)
    code = serializers.CharField(label=_("查询码"), max_length=8)
