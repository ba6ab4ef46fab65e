"""The disputes API's serializers: ``case`` (the case as listed and shown) and ``operations``
(registration, transitions, timeline, notes, attachments, history)."""

from .case import (
    AttachmentOutputSerializer,
    DisputeDetailOutputSerializer,
    DisputeListFilterSerializer,
    DisputeListOutputSerializer,
    DisputeListPageOutputSerializer,
    NoteOutputSerializer,
)
from .operations import (
    AttachmentInputSerializer,
    DisputeRegisterInputSerializer,
    DuplicatesOutputSerializer,
    EventOutputSerializer,
    HistoryEntryOutputSerializer,
    NoteInputSerializer,
    TransitionInputSerializer,
    actions_description,
)

__all__ = [
    "AttachmentInputSerializer",
    "AttachmentOutputSerializer",
    "DisputeDetailOutputSerializer",
    "DisputeListFilterSerializer",
    "DisputeListOutputSerializer",
    "DisputeListPageOutputSerializer",
    "DisputeRegisterInputSerializer",
    "DuplicatesOutputSerializer",
    "EventOutputSerializer",
    "HistoryEntryOutputSerializer",
    "NoteInputSerializer",
    "NoteOutputSerializer",
    "TransitionInputSerializer",
    "actions_description",
]
