"""Mounted at /api/legal-aid/: the applications with their steps, the roster and the coverage."""

from django.urls import path

from . import views

urlpatterns = [
    path("applications/", views.ApplicationListApi.as_view(), name="api-legal-aid-applications"),
    path("applications/<int:pk>/", views.ApplicationDetailApi.as_view(), name="api-legal-aid-application"),
    path("applications/<int:pk>/decision/", views.DecisionApi.as_view(), name="api-legal-aid-decision"),
    path("applications/<int:pk>/objection/", views.ObjectionApi.as_view(), name="api-legal-aid-objection"),
    path(
        "applications/<int:pk>/objection-review/",
        views.ObjectionReviewApi.as_view(),
        name="api-legal-aid-objection-review",
    ),
    path("applications/<int:pk>/assignment/", views.AssignmentApi.as_view(), name="api-legal-aid-assignment"),
    path("applications/<int:pk>/end/", views.EndApi.as_view(), name="api-legal-aid-end"),
    path("lawyers/", views.LawyerListApi.as_view(), name="api-legal-aid-lawyers"),
    path("coverage/", views.CoverageApi.as_view(), name="api-legal-aid-coverage"),
]
