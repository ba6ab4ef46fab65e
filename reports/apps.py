from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from core.navigation import NavEntry, register_nav
        from core.roles import Capability

        register_nav(
            NavEntry(_("Reports"), "reports:dashboard", Capability.VIEW_REPORTS, order=30, section="reports")
        )
        self._register_bulletins()

    @staticmethod
    def _register_bulletins() -> None:
        from django.urls import reverse

        from documents.subjects import SubjectAdapter, register_subject

        from .models import Bulletin
        from .selectors import bulletin_get

        # A bulletin's PDF is a document about the bulletin: seen by whoever sees the bulletin.
        register_subject(
            Bulletin,
            SubjectAdapter(
                resolve=bulletin_get,
                context=lambda bulletin, doc_type: bulletin.snapshot,
                initial=lambda bulletin, doc_type: {},
                issuer=lambda bulletin, doc_type: bulletin.organisation,
                url=lambda bulletin: reverse("reports:bulletins"),
            ),
        )
