"""The applicant's pages, mounted at /cases/ (namespace cases_portal)."""

from django.urls import URLPattern, URLResolver, path

from .views.portal import apply, mine, progress

app_name = "cases_portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("apply/item/<int:item_id>/", apply.apply_item, name="apply_item"),
    path("apply/bundle/<int:bundle_id>/", apply.apply_bundle, name="apply_bundle"),
    path("drafts/<int:case_id>/", apply.draft, name="draft"),
    path("drafts/<int:case_id>/files/<int:case_file_id>/remove/", apply.file_remove, name="file_remove"),
    path("bundle-drafts/<int:bundle_case_id>/", apply.bundle_draft, name="bundle_draft"),
    path("bundles/<int:bundle_case_id>/receipt/", mine.bundle_receipt, name="bundle_receipt"),
    path("mine/", mine.mine, name="mine"),
    path("mine/<int:case_id>/", mine.detail, name="detail"),
    path("mine/<int:case_id>/receipt/", mine.receipt, name="receipt"),
    path("mine/<int:case_id>/supplement/", mine.supplement, name="supplement"),
    path("mine/<int:case_id>/deferred/", mine.deferred, name="deferred"),
    path("mine/<int:case_id>/withdraw/", mine.withdraw, name="withdraw"),
    path("progress/", progress.progress, name="progress"),
]
