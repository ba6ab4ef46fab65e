from django.urls import path

from . import views

urlpatterns = [
    path("auth/token/", views.TokenApi.as_view(), name="api-token"),
    path("auth/logout/", views.LogoutApi.as_view(), name="api-logout"),
    path("auth/sign-ins/", views.SignInsApi.as_view(), name="api-sign-ins"),
    path("auth/sessions/<str:sid>/end/", views.SessionEndApi.as_view(), name="api-session-end"),
    path("auth/tokens/<int:pk>/revoke/", views.TokenRevokeApi.as_view(), name="api-token-revoke"),
    path("audit/entries/", views.AuditEntriesApi.as_view(), name="api-audit-entries"),
]
