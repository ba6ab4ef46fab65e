from django.urls import path

from . import views

app_name = "legal_aid"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("coverage/", views.coverage_view, name="coverage"),
    path("lawyers/", views.roster_view, name="roster"),
    path("applications/<int:pk>/", views.application_view, name="application"),
    path("cases/<int:pk>/parties/<int:party_pk>/screen/", views.screen_view, name="screen"),
    path("cases/<int:pk>/parties/<int:party_pk>/apply/", views.apply_view, name="apply"),
]
