from django.urls import path

from . import views

urlpatterns = [
    path("auth/token/", views.TokenApi.as_view(), name="api-token"),
    path("auth/logout/", views.LogoutApi.as_view(), name="api-logout"),
    path("audit/entries/", views.AuditEntriesApi.as_view(), name="api-audit-entries"),
]
