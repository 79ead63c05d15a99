"""/api/v1/cases/: applicant, staff and public endpoints (docs/cases/api.md)."""

from django.urls import URLPattern, URLResolver, path

from . import applicant as a
from . import public
from . import staff as st

app_name = "cases_api"
urlpatterns: list[URLPattern | URLResolver] = [
    # public
    path("progress/", public.ProgressView.as_view(), name="progress"),
    # applicants
    path("drafts/", a.DraftCreateView.as_view(), name="draft-create"),
    path("bundle-drafts/", a.BundleDraftCreateView.as_view(), name="bundle-draft-create"),
    path("mine/", a.MyCaseListView.as_view(), name="mine"),
    path("mine/<int:case_id>/", a.MyCaseDetailView.as_view(), name="mine-detail"),
    path("mine/<int:case_id>/form/", a.FormUpdateView.as_view(), name="mine-form"),
    path(
        "mine/<int:case_id>/materials/<int:material_id>/files/",
        a.MaterialUploadView.as_view(),
        name="mine-upload",
    ),
    path("mine/<int:case_id>/files/<int:file_id>/", a.CaseFileView.as_view(), name="mine-file"),
    path(
        "mine/<int:case_id>/documents/<int:document_id>/",
        a.DocumentDownloadView.as_view(),
        name="mine-document",
    ),
    path("mine/<int:case_id>/submit/", a.SubmitView.as_view(), name="mine-submit"),
    path("mine/<int:case_id>/supplement/", a.SupplementSubmitView.as_view(), name="mine-supplement"),
    path("mine/<int:case_id>/withdraw/", a.WithdrawView.as_view(), name="mine-withdraw"),
    path("mine/bundles/<int:bundle_case_id>/", a.BundleDetailView.as_view(), name="mine-bundle"),
    path(
        "mine/bundles/<int:bundle_case_id>/submit/", a.BundleSubmitView.as_view(), name="mine-bundle-submit"
    ),
    # staff
    path("staff/queue/", st.QueueView.as_view(), name="staff-queue"),
    path("staff/tasks/", st.TaskListView.as_view(), name="staff-tasks"),
    path("staff/extensions/", st.PendingExtensionsView.as_view(), name="staff-extensions"),
    path(
        "staff/extensions/<int:extension_id>/decide/",
        st.ExtensionDecideView.as_view(),
        name="staff-extension-decide",
    ),
    path("staff/drafts/", st.WalkInDraftView.as_view(), name="staff-draft-create"),
    path("staff/cases/", st.CaseSearchView.as_view(), name="staff-cases"),
    path("staff/cases/<int:case_id>/", st.CaseDetailView.as_view(), name="staff-case"),
    path(
        "staff/cases/<int:case_id>/materials/<int:material_id>/files/",
        st.WalkInUploadView.as_view(),
        name="staff-upload",
    ),
    path("staff/cases/<int:case_id>/submit/", st.WalkInSubmitView.as_view(), name="staff-submit"),
    path("staff/cases/<int:case_id>/supplement/", st.WalkInSupplementView.as_view(), name="staff-supplement"),
    path("staff/cases/<int:case_id>/accept/", st.AcceptView.as_view(), name="staff-accept"),
    path("staff/cases/<int:case_id>/reject/", st.RejectView.as_view(), name="staff-reject"),
    path(
        "staff/cases/<int:case_id>/supplement-request/",
        st.SupplementRequestView.as_view(),
        name="staff-supplement-request",
    ),
    path(
        "staff/cases/<int:case_id>/accept-with-deficiency/",
        st.DeficiencyAcceptView.as_view(),
        name="staff-accept-deficiency",
    ),
    path("staff/cases/<int:case_id>/suspend/", st.SuspendView.as_view(), name="staff-suspend"),
    path("staff/cases/<int:case_id>/resume/", st.ResumeView.as_view(), name="staff-resume"),
    path("staff/cases/<int:case_id>/extension/", st.ExtensionRequestView.as_view(), name="staff-extension"),
    path("staff/cases/<int:case_id>/decide/", st.DecideView.as_view(), name="staff-decide"),
    path("staff/cases/<int:case_id>/complete/", st.CompleteView.as_view(), name="staff-complete"),
    path("staff/cases/<int:case_id>/terminate/", st.TerminateView.as_view(), name="staff-terminate"),
    path("staff/cases/<int:case_id>/deliver/", st.DeliverView.as_view(), name="staff-deliver"),
    path("staff/steps/<int:step_id>/complete/", st.StepCompleteView.as_view(), name="staff-step-complete"),
    path("staff/steps/<int:step_id>/claim/", st.StepClaimView.as_view(), name="staff-step-claim"),
    path("staff/steps/<int:step_id>/return/", st.StepReturnView.as_view(), name="staff-step-return"),
    path("staff/steps/<int:step_id>/transfer/", st.StepTransferView.as_view(), name="staff-step-transfer"),
    path("staff/bundles/<int:bundle_case_id>/", st.BundleStaffDetailView.as_view(), name="staff-bundle"),
    path(
        "staff/bundles/<int:bundle_case_id>/deliver/",
        st.BundleDeliverView.as_view(),
        name="staff-bundle-deliver",
    ),
]
