"""Workbench case pages, mounted at /workbench/cases/ (docs/cases/staff-guide.md)."""

from django.urls import path

from .views.staff import acceptance, bundles, case, tasks, window

app_name = "cases_staff"
urlpatterns = [
    # 后台: my tasks
    path("", tasks.task_list, name="tasks"),
    # 窗口: the queue and 接件
    path("window/", window.queue, name="window"),
    path("window/new/", window.intake_item, name="intake"),
    path("window/new/<int:item_id>/", window.intake_applicant, name="intake_applicant"),
    path("window/lookup/", window.applicant_lookup, name="lookup"),
    path("window/drafts/<int:pk>/", window.intake_draft, name="intake_draft"),
    path("window/drafts/<int:pk>/upload/", window.intake_upload, name="intake_upload"),
    path(
        "window/drafts/<int:pk>/files/<int:file_pk>/remove/",
        window.intake_remove_file,
        name="intake_remove_file",
    ),
    # 受理
    path("<int:pk>/accept/", acceptance.accept, name="accept"),
    path("<int:pk>/reject/", acceptance.reject, name="reject"),
    path("<int:pk>/materials/upload/", acceptance.material_upload, name="material_upload"),
    path("<int:pk>/supplement/received/", acceptance.supplement_received, name="supplement_received"),
    path("<int:pk>/deficiency/supplied/", acceptance.deficiency_supplied, name="deficiency_supplied"),
    # 办件详情 and the back office's actions
    path("<int:pk>/", case.case_page, name="case"),
    path("<int:pk>/reveal/", case.reveal_id, name="reveal_id"),
    path("<int:pk>/steps/<int:step_id>/complete/", case.step_complete, name="step_complete"),
    path("<int:pk>/steps/<int:step_id>/return/", case.step_return, name="step_return"),
    path("<int:pk>/steps/<int:step_id>/transfer/", case.step_transfer, name="step_transfer"),
    path("<int:pk>/suspend/", case.suspend, name="suspend"),
    path("<int:pk>/resume/", case.resume, name="resume"),
    path("<int:pk>/extension/", case.extension_request, name="extension_request"),
    path("<int:pk>/extension/decide/", case.extension_decide, name="extension_decide"),
    path("<int:pk>/decide/", case.decide, name="decide"),
    path("<int:pk>/complete/", case.complete, name="complete"),
    path("<int:pk>/deliver/", case.deliver, name="deliver"),
    # 一件事
    path("bundles/<int:pk>/", bundles.bundle_page, name="bundle"),
    path("bundles/<int:pk>/deliver/", bundles.bundle_deliver, name="bundle_deliver"),
]
