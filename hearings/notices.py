"""A hearing's notices, issued through the documents capability and filled from the hearing itself
(its time, its room or link, its issues), each addressed as its kind requires:

- a reconsideration hearing: the hearing notice to the parties (行政复议法 第五十一条), and the notice to the
  respondent's principal head to take part (参加听证);
- a court session: the notice to the defendant agency's principal head to appear (出庭应诉, SPC 2020 rules
  Art. 5), which the court serves at least 3 days before the session;
- a resolution meeting: the meeting notice to the parties and the agency (化解会).

The draft opens in the documents pages, where the clerk checks, edits and issues it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from documents.models import Document
from documents.selectors import user_may_draft
from documents.services import document_draft_create
from documents.types import SPECS, DocumentType

from .models import Hearing, HearingKind

KIND_NOTICES: dict[str, tuple[str, ...]] = {
    HearingKind.RECON_HEARING: (DocumentType.HEARING_NOTICE, DocumentType.HEAD_ATTENDANCE_NOTICE),
    HearingKind.COURT_SESSION: (DocumentType.HEAD_ATTENDANCE_NOTICE,),
    HearingKind.RESOLUTION_MEETING: (DocumentType.MEETING_NOTICE,),
}


def notice_types(hearing: Hearing, user: User) -> list[tuple[str, str]]:
    """The notices ``user`` may draft for ``hearing`` (type, printed title): none once it is over."""
    if hearing.status != Hearing.Status.SCHEDULED or not user_may_draft(user):
        return []
    return [(t, _title(hearing, t)) for t in KIND_NOTICES[hearing.kind]]


def _title(hearing: Hearing, doc_type: str) -> str:
    if doc_type == DocumentType.HEAD_ATTENDANCE_NOTICE:
        return (
            "行政机关负责人出庭应诉通知书"
            if hearing.kind == HearingKind.COURT_SESSION
            else "行政机关负责人参加听证通知书"
        )
    return SPECS[doc_type].title


def notice_fields(hearing: Hearing, doc_type: str) -> dict[str, str]:
    """What the hearing fills in: its time, its place (the room, or the online link), its issues, and
    the addressee its kind requires."""
    when = timezone.localtime(hearing.scheduled_at)
    place = hearing.place
    if hearing.room is not None and hearing.room.address:
        place = f"{hearing.room.address}{hearing.room.name}"
    if hearing.online_link:
        place = f"{place}（线上参加：{hearing.online_link}）" if place else f"线上：{hearing.online_link}"
    fields = {"hearing_time": f"{when:%Y年%-m月%-d日 %H:%M}", "hearing_place": place}
    if doc_type == DocumentType.HEAD_ATTENDANCE_NOTICE:
        fields["addressee"] = f"{hearing.dispute.respondent.name}主要负责人"
    else:
        fields["issues"] = hearing.issues
    return fields


def notice_draft(*, hearing: Hearing, actor: User, doc_type: str) -> Document:
    """A draft of one of ``hearing``'s notices about its case (the documents capability checks that
    ``actor`` may draft and reaches the case)."""
    if doc_type not in dict(notice_types(hearing, actor)):
        raise ValidationError(_("This notice is not issued for this hearing."))
    return document_draft_create(
        actor=actor, subject=hearing.dispute, doc_type=doc_type, fields=notice_fields(hearing, doc_type)
    )
