from django.urls import path

from . import views

urlpatterns = [
    path("metrics/", views.MetricsApi.as_view(), name="api-report-metrics"),
    path("metrics/<slug:code>/cases/", views.MetricCasesApi.as_view(), name="api-report-metric-cases"),
]
