from django.urls import path

from . import views

urlpatterns = [
    path("", views.DisputeCollectionApi.as_view(), name="api-disputes"),
    path("<int:pk>/", views.DisputeDetailApi.as_view(), name="api-dispute-detail"),
    path(
        "<int:pk>/transitions/<str:action>/",
        views.DisputeTransitionApi.as_view(),
        name="api-dispute-transition",
    ),
    path("<int:pk>/events/", views.DisputeEventsApi.as_view(), name="api-dispute-events"),
    path("<int:pk>/notes/", views.DisputeNoteAddApi.as_view(), name="api-dispute-note-add"),
    path("<int:pk>/attachments/", views.DisputeAttachmentAddApi.as_view(), name="api-dispute-attachment-add"),
    path("<int:pk>/history/", views.DisputeHistoryApi.as_view(), name="api-dispute-history"),
]
