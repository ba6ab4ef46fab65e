"""Mounted at /api/: the documents of a case, and each document by its id."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "disputes/<int:subject_id>/documents/",
        views.CaseDocumentsApi.as_view(),
        name="api-case-documents",
    ),
    path("documents/<int:pk>/", views.DocumentDetailApi.as_view(), name="api-document-detail"),
    path("documents/<int:pk>/issue/", views.DocumentIssueApi.as_view(), name="api-document-issue"),
    path("documents/<int:pk>/retry/", views.DocumentRetryApi.as_view(), name="api-document-retry"),
    path("documents/<int:pk>/reissue/", views.DocumentReissueApi.as_view(), name="api-document-reissue"),
    path("documents/<int:pk>/pdf/", views.DocumentPdfApi.as_view(), name="api-document-pdf"),
]
