from django.urls import path

from . import views

app_name = "guidance"

urlpatterns = [
    path("modules/", views.module_list, name="modules"),
    path("modules/versions/<int:pk>/", views.module_version_detail, name="module_version"),
    path("incidents/<int:pk>/guidance/apply/", views.module_apply, name="apply"),
    path("incidents/<int:pk>/actions/new/", views.item_add, name="add_item"),
    path("incidents/<int:pk>/checklists/<int:checklist_pk>/", views.checklist_detail, name="checklist"),
    path("actions/<int:pk>/", views.item_detail, name="item"),
    path("actions/<int:pk>/status/", views.item_quick_status, name="item_status"),
]
