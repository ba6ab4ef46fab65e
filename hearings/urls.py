from django.urls import path

from . import views

app_name = "hearings"

urlpatterns = [
    path("cases/<int:pk>/schedule/", views.hearing_schedule_view, name="schedule"),
    path("<int:pk>/", views.hearing_detail, name="detail"),
]
