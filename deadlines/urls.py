from django.urls import path

from . import views

app_name = "deadlines"

urlpatterns = [
    path("", views.month_view, name="month"),
    path("overdue/", views.overdue_view, name="overdue"),
    path("remedies/", views.remedies_view, name="remedies"),
    path("calendar/", views.calendar_feed_page, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="ical"),
]
