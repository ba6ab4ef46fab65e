from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("read/", views.notifications_read, name="read"),
    path("channels/", views.preference_view, name="preferences"),
]
