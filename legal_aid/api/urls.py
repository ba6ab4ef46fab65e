"""Mounted at /api/disputes/: a case's legal aid, screening a party and filing the party's application."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/legal-aid/", views.CaseLegalAidApi.as_view(), name="api-legal-aid-case"),
    path(
        "<int:pk>/parties/<int:party_pk>/screening/",
        views.ScreeningApi.as_view(),
        name="api-legal-aid-screening",
    ),
    path(
        "<int:pk>/parties/<int:party_pk>/legal-aid-applications/",
        views.ApplicationFileApi.as_view(),
        name="api-legal-aid-apply",
    ),
]
