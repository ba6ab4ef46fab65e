from django.urls import path

from ..actions import ACTIONS
from . import views

urlpatterns = [
    path("", views.DisputeCollectionApi.as_view(), name="api-disputes"),
    path("<int:pk>/", views.DisputeDetailApi.as_view(), name="api-dispute-detail"),
    # One route per action (an unknown action matches none: 404): each is its own operation in the
    # schema, with the action's input. reverse("api-dispute-transition", kwargs={"pk", "action"}) works.
    *[
        path(
            f"<int:pk>/transitions/{action}/",
            views.transition_view(action),
            {"action": action},
            name="api-dispute-transition",
        )
        for action in ACTIONS
    ],
    path("<int:pk>/events/", views.DisputeEventsApi.as_view(), name="api-dispute-events"),
    path("<int:pk>/deadlines/", views.DisputeDeadlinesApi.as_view(), name="api-dispute-deadlines"),
    path("<int:pk>/notes/", views.DisputeNoteAddApi.as_view(), name="api-dispute-note-add"),
    path("<int:pk>/attachments/", views.DisputeAttachmentAddApi.as_view(), name="api-dispute-attachment-add"),
    path("<int:pk>/history/", views.DisputeHistoryApi.as_view(), name="api-dispute-history"),
    path(
        "<int:pk>/parties/<int:party_pk>/reveal/",
        views.PartyRevealApi.as_view(),
        name="api-dispute-party-reveal",
    ),
]
