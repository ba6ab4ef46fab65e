from django.urls import path

from . import views, views_calendar

app_name = "hearings"

urlpatterns = [
    path("cases/<int:pk>/schedule/", views.hearing_schedule_view, name="schedule"),
    path(
        "cases/<int:pk>/court-session/",
        views.hearing_arrange_view,
        {"kind": "court_session"},
        name="court_session",
    ),
    path(
        "cases/<int:pk>/meeting/",
        views.hearing_arrange_view,
        {"kind": "resolution_meeting"},
        name="resolution_meeting",
    ),
    path("calendar/", views_calendar.hearing_calendar, name="calendar"),
    path("<int:pk>/", views.hearing_detail, name="detail"),
]
