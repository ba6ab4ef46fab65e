"""Mounted at /api/: the user's reachable deadlines."""

from django.urls import path

from . import views

urlpatterns = [
    path("deadlines/", views.DeadlineListApi.as_view(), name="api-deadlines"),
    path("deadlines/<int:pk>/", views.DeadlineDetailApi.as_view(), name="api-deadline-detail"),
    path("remedies/", views.RemedyListApi.as_view(), name="api-remedies"),
]
