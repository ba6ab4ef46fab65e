from django.contrib.auth import views as auth_views
from django.urls import path

from . import admin_views, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/verify/", views.otp_verify, name="otp-verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("sessions/", views.my_sessions, name="my-sessions"),
    path("sessions/<str:sid>/end/", views.session_end, name="session-end"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("second-factor/", views.otp_setup, name="otp-setup"),
    path("audit/", admin_views.audit_log, name="audit-log"),
    path("audit/export.xlsx", admin_views.audit_export, name="audit-export"),
    path("security-desk/", admin_views.security_desk, name="security-desk"),
]
