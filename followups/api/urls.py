from django.urls import path

from . import views

urlpatterns = [
    path("visits/", views.VisitListApi.as_view(), name="api-followup-visits"),
    path("visits/<int:pk>/", views.VisitDetailApi.as_view(), name="api-followup-visit"),
    path("visits/<int:pk>/record/", views.VisitRecordApi.as_view(), name="api-followup-visit-record"),
    path("figures/", views.FiguresApi.as_view(), name="api-followup-figures"),
]
