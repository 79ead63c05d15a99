"""Staff pages of the catalogue (drafts, review, checker report), mounted at /workbench/catalog/."""


app_name = "catalog_staff"
urlpatterns: list = []
