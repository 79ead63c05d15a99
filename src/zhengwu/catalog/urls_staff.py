"""Staff pages of the catalogue (drafts, review, checker report), mounted at /workbench/catalog/."""

from django.urls import path

from .views.staff import bundles, drafts, items, report, review

app_name = "catalog_staff"
urlpatterns = [
    path("", items.item_list, name="items"),
    path("new/", items.item_create, name="item_create"),
    path("items/<int:pk>/", items.item_detail, name="item"),
    path("items/<int:pk>/change/", items.item_change, name="item_change"),
    path("items/<int:pk>/diff/", review.diff, name="diff"),
    path("versions/<int:pk>/", drafts.draft, name="draft"),
    path("versions/<int:pk>/materials/", drafts.draft_materials, name="draft_materials"),
    path("versions/<int:pk>/fields/", drafts.draft_fields, name="draft_fields"),
    path("versions/<int:pk>/steps/", drafts.draft_steps, name="draft_steps"),
    path("versions/<int:pk>/checks/", drafts.draft_checks, name="draft_checks"),
    path("versions/<int:pk>/submit/", drafts.draft_submit, name="draft_submit"),
    path("versions/<int:pk>/withdraw/", drafts.draft_withdraw, name="draft_withdraw"),
    path("reviews/", review.review_queue, name="review_queue"),
    path("reviews/<int:pk>/", review.review, name="review"),
    path("report/", report.report, name="report"),
    path("report.csv", report.report_csv, name="report_csv"),
    path("bundles/", bundles.bundle_list, name="bundles"),
    path("bundles/new/", bundles.bundle_create, name="bundle_create"),
    path("bundles/<int:pk>/", bundles.bundle_detail, name="bundle"),
    path("bundles/<int:pk>/publish/", bundles.bundle_publish, name="bundle_publish"),
]
