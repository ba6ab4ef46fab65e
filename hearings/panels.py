"""The hearings card on the case page (``disputes.seam.CasePanel``)."""

from __future__ import annotations

from typing import Any

from core.models import User
from disputes.choices import CaseKind
from disputes.models import Dispute

from .selectors import hearing_list


def case_panel(dispute: Dispute, user: User) -> dict[str, Any] | None:
    if dispute.kind != CaseKind.RECONSIDERATION:
        return None  # only a reconsideration holds hearings: no query for the other cases
    hearings = list(hearing_list(user=user, dispute=dispute))
    return {"hearings": hearings} if hearings else None
