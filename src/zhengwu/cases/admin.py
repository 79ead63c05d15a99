"""Admin for cases: a read-only look-up (every change goes through the services and the workbench)
and the editor of the document texts (DocumentTemplate), checked before saving and previewable as PDF."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from zhengwu.core.access.actor import actor_for
from zhengwu.core.audit.masking import mask_id_number
from zhengwu.core.audit.services import audit_record

from .documents.context import sample_context
from .documents.defaults import default_for
from .documents.rendering import TemplateProblem, check_template
from .documents.services import template_preview_pdf, template_restore_default, templates_seed
from .models import Case, CaseDocument, DocumentKind, DocumentTemplate, TimelineEntry


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TimelineEntryInline(_ReadOnlyInline):
    model = TimelineEntry
    fields = ("at", "title", "summary", "actor_name", "channel", "public")
    readonly_fields = fields
    ordering = ("at", "pk")


class CaseDocumentInline(_ReadOnlyInline):
    model = CaseDocument
    fields = ("issued_at", "kind", "number", "title", "is_result", "file_id")
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: look a case up by its number, see its timeline and documents. No add, edit or delete."""

    list_display = (
        "number",
        "item_name",
        "department",
        "applicant_name",
        "masked_id",
        "status",
        "submitted_at",
    )
    list_filter = ("status", "department")
    search_fields = ("number",)
    list_select_related = ("department",)
    show_full_result_count = False
    inlines = [TimelineEntryInline, CaseDocumentInline]
    exclude = ("applicant_id_number",)  # PII: the masked value is shown instead

    @admin.display(description=_("证件号码"))
    def masked_id(self, obj: Case) -> str:
        return mask_id_number(obj.applicant_id_number)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in self.model._meta.fields if f.name != "applicant_id_number"] + ["masked_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DocumentTemplateForm(forms.ModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ("kind", "title", "body")
        widgets = {"body": forms.Textarea(attrs={"rows": 24, "cols": 100, "style": "font-family: monospace"})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, body = data.get("kind"), data.get("body")
        if kind and body:
            try:
                rendered = check_template(body, sample_context(kind))
            except TemplateProblem as exc:
                self.add_error("body", str(exc))
            else:
                if not rendered.strip():
                    self.add_error("body", _("正文渲染后为空，请填写文书内容。"))
        return data


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    """The texts of the notices and decisions. The context they may use is listed in
    cases/documents/defaults.py; a body that does not parse or render is refused on save."""

    form = DocumentTemplateForm
    list_display = ("title", "kind", "updated_at", "updated_by", "preview_link")
    readonly_fields = ("updated_at", "updated_by", "preview_link", "variables")
    actions = ["restore_defaults"]
    change_list_template = "admin/cases/documenttemplate/change_list.html"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:  # one row per kind: the kind is fixed once created
            return ("kind", *self.readonly_fields)
        return self.readonly_fields

    @admin.display(description=_("预览"))
    def preview_link(self, obj: DocumentTemplate) -> str:
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:cases_documenttemplate_preview", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("预览 PDF"))

    @admin.display(description=_("可用变量"))
    def variables(self, obj: DocumentTemplate | None) -> str:
        keys = sorted(sample_context(obj.kind if obj else DocumentKind.RECEIPT))
        return ", ".join(keys)

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="cases_documenttemplate_preview",
            ),
            path("seed/", self.admin_site.admin_view(self.seed_view), name="cases_documenttemplate_seed"),
        ]
        return own + super().get_urls()

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        row = get_object_or_404(DocumentTemplate, pk=pk)
        content = template_preview_pdf(row.kind, title=row.title, body=row.body)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="preview.pdf"'
        return response

    def seed_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        created = templates_seed(actor=actor_for(request.user))
        self.message_user(request, _("已补齐 %(n)s 种文书的默认文本。") % {"n": created}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:cases_documenttemplate_changelist"))

    @admin.action(description=_("恢复默认文本"))
    def restore_defaults(self, request: HttpRequest, queryset: QuerySet[DocumentTemplate]) -> None:
        actor = actor_for(request.user)
        kinds = list(queryset.values_list("kind", flat=True))
        for kind in kinds:
            template_restore_default(actor=actor, kind=kind)
        self.message_user(
            request, _("已恢复 %(n)s 个文书模板的默认文本。") % {"n": len(kinds)}, messages.SUCCESS
        )

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = dict(super().get_changeform_initial_data(request))
        kind = initial.get("kind")
        if kind in DocumentKind.values:
            default = default_for(str(kind))
            initial.setdefault("title", default.title)
            initial.setdefault("body", default.body)
        return initial

    def save_model(self, request: HttpRequest, obj: DocumentTemplate, form: Any, change: bool) -> None:
        obj.updated_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        audit_record(
            actor=actor_for(request.user),
            action="cases.document_template_save",
            obj_type="cases.documenttemplate",
            obj_id=obj.pk,
            summary=f"{obj.title}",
            extra={"kind": obj.kind, "changed": list(form.changed_data) if form else []},
        )
