from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("new/<str:subject_label>/<int:subject_id>/", views.document_new, name="new-any"),
    path("new/<str:subject_label>/<int:subject_id>/<str:doc_type>/", views.document_new, name="new"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/preview/", views.document_preview, name="preview"),
    path("<int:pk>/status.json", views.document_status, name="status"),
    path("<int:pk>/issue/", views.document_issue, name="issue"),
    path("<int:pk>/retry/", views.document_retry, name="retry"),
    path("<int:pk>/reissue/", views.document_reissue, name="reissue"),
    path("<int:pk>/download/", views.document_download, name="download"),
    path("fonts/<str:name>", views.document_font, name="font"),
]
