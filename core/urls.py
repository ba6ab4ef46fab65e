from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("directory/", views.organisation_list, name="organisation-list"),
    path("directory/<int:pk>/", views.organisation_detail, name="organisation-detail"),
]
