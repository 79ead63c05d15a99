"""Public portal pages of the catalogue (办事指南), mounted at /services/."""


app_name = "catalog"
urlpatterns: list = []
