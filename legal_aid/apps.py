from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalAidConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "legal_aid"
    verbose_name = _("Legal aid")
