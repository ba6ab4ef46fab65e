from django.urls import path

from . import views

app_name = "deadlines"

urlpatterns = [
    path("calendar/", views.calendar_feed_page, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="ical"),
]
