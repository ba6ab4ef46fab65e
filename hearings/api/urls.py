from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/hearings/", views.HearingCollectionApi.as_view(), name="api-hearing-schedule"),
]
