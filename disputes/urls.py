from django.urls import path

from . import views_case, views_list, views_register

app_name = "disputes"

urlpatterns = [
    path("", views_list.dispute_list, name="list"),
    path("export.xlsx", views_list.dispute_export, name="export"),
    path("new/", views_register.dispute_register_view, name="register"),
    path("<int:pk>/", views_case.dispute_detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views_case.dispute_action, name="action"),
    path("<int:pk>/series/new/", views_case.series_create, name="series-create"),
    path("<int:pk>/notes/", views_case.note_add_view, name="note-add"),
    path("<int:pk>/attachments/", views_case.attachment_add_view, name="attachment-add"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views_case.attachment_download,
        name="attachment-download",
    ),
    path("<int:pk>/parties/<int:party_pk>/reveal/", views_case.party_reveal, name="party-reveal"),
    path("series/<int:pk>/", views_case.series_detail, name="series-detail"),
]
