from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/hearings/", views.HearingCollectionApi.as_view(), name="api-hearing-schedule"),
    path("<int:pk>/court-sessions/", views.CourtSessionApi.as_view(), name="api-hearing-court-session"),
    path("<int:pk>/meetings/", views.MeetingApi.as_view(), name="api-hearing-meeting"),
]
