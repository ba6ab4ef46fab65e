"""Mounted at /api/hearings/: the hearings within reach, the agency's answer and the attendance."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.HearingListApi.as_view(), name="api-hearings"),
    path("<int:pk>/", views.HearingDetailApi.as_view(), name="api-hearing-detail"),
    path("<int:pk>/answer/", views.HeadAnswerApi.as_view(), name="api-hearing-answer"),
    path("<int:pk>/attendance/", views.AttendanceApi.as_view(), name="api-hearing-attendance"),
    path("<int:pk>/must-attend/", views.MustAttendApi.as_view(), name="api-hearing-must-attend"),
    path("<int:pk>/answer/review/", views.ReviewApi.as_view(), name="api-hearing-answer-review"),
    path("<int:pk>/cancel/", views.CancelApi.as_view(), name="api-hearing-cancel"),
]
