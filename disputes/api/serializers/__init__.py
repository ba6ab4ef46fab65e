"""The disputes API's serializers: ``case`` (the case as listed and shown) and ``operations``
(registration, transitions, timeline, notes, attachments, history)."""

from .case import (
    AttachmentOutputSerializer,
    DisputeDetailOutputSerializer,
    DisputeListOutputSerializer,
    NoteOutputSerializer,
    PartyNumbersOutputSerializer,
)
from .operations import (
    TRANSITION_DESCRIPTION,
    AttachmentInputSerializer,
    DisputeRegisterInputSerializer,
    DuplicatesOutputSerializer,
    EventOutputSerializer,
    HistoryEntryOutputSerializer,
    NoteInputSerializer,
    TransitionInputSerializer,
    transition_input_serializer,
)

__all__ = [
    "AttachmentInputSerializer",
    "AttachmentOutputSerializer",
    "DisputeDetailOutputSerializer",
    "DisputeListOutputSerializer",
    "DisputeRegisterInputSerializer",
    "DuplicatesOutputSerializer",
    "EventOutputSerializer",
    "HistoryEntryOutputSerializer",
    "PartyNumbersOutputSerializer",
    "NoteInputSerializer",
    "NoteOutputSerializer",
    "TransitionInputSerializer",
    "TRANSITION_DESCRIPTION",
    "transition_input_serializer",
]
