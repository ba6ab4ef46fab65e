from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.dashboard_export, name="export"),
    path("bulletins/", views.bulletin_list, name="bulletins"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("<slug:code>/export/", views.drilldown_export, name="drilldown-export"),
    path("<slug:code>/", views.drilldown, name="drilldown"),
]
