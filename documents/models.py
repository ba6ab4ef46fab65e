"""An official document: a draft a clerk may edit and preview, then issued once — numbered (文号),
rendered to PDF, stored with its SHA-256 — and never changed again. A correction is a re-issue: a new
version that supersedes the old one, which is kept and marked."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from core.fields import EncryptedJSONField
from core.models import Organisation

from .types import DocumentType

USER = settings.AUTH_USER_MODEL


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUING = "issuing", _("Being issued")
    ISSUED = "issued", _("Issued")
    SUPERSEDED = "superseded", _("Superseded")


class RenderState(models.TextChoices):
    NONE = "", _("Not rendered")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Rendering")
    FAILED = "failed", _("Failed")
    DONE = "done", _("Done")


def _pdf_path(document: Document, filename: str) -> str:
    # The local (China) month of issue, as the number's year is: 1 January 00:30 is filed under January.
    return f"documents/{timezone.localtime(document.issued_at or timezone.now()):%Y/%m}/{filename}"


class Document(FSMModelMixin, models.Model):
    subject_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("What kind of record the document belongs to, e.g. a dispute."),
    )
    subject_id = models.PositiveBigIntegerField(
        _("subject"), help_text=_("The record the document belongs to.")
    )
    subject = GenericForeignKey("subject_type", "subject_id")
    doc_type = models.CharField(
        _("document type"),
        max_length=32,
        choices=DocumentType.choices,
        help_text=_("Which official document this is; decides its template and number series."),
    )
    issuer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="issued_documents",
        verbose_name=_("issuing body"),
        help_text=_("The body in whose name the document is issued and numbered."),
    )
    fields = models.JSONField(_("content"), default=dict, help_text=_("The editable parts of the text."))
    context = EncryptedJSONField(
        _("case data"),
        default=dict,
        help_text=_(
            "Case facts printed in the document, as of the draft (encrypted at rest: it may hold ID numbers)."
        ),
    )
    status = FSMField(
        _("status"),
        max_length=12,
        choices=DocumentStatus.choices,
        default=DocumentStatus.DRAFT,
        protected=True,
        help_text=_("Draft, being issued, issued or superseded; changed only by issuing and re-issuing."),
    )
    version = models.PositiveSmallIntegerField(
        _("version"), default=1, help_text=_("1 for the first issue; each correcting re-issue adds one.")
    )
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
        help_text=_("For a re-issue: the earlier version it replaces."),
    )
    number = models.CharField(
        _("document number"), max_length=64, blank=True, help_text=_("E.g. 郧西化受〔2026〕3号.")
    )
    year = models.PositiveSmallIntegerField(
        _("number year"), null=True, blank=True, help_text=_("The year part of the document number.")
    )
    sequence = models.PositiveIntegerField(
        _("number in year"),
        null=True,
        blank=True,
        help_text=_("The serial part of the document number, counted per series and year."),
    )
    template_version = models.CharField(
        _("template version"),
        max_length=40,
        blank=True,
        help_text=_("Fingerprint of the template the PDF was rendered from."),
    )
    file = models.FileField(
        _("PDF"), upload_to=_pdf_path, blank=True, help_text=_("The issued PDF; never changed once written.")
    )
    sha256 = models.CharField(
        _("SHA-256"),
        max_length=64,
        blank=True,
        help_text=_("Checksum of the issued PDF, to prove it is unchanged."),
    )
    size = models.PositiveIntegerField(
        _("size (bytes)"), null=True, blank=True, help_text=_("Size of the issued PDF.")
    )
    pages = models.PositiveSmallIntegerField(
        _("pages"), null=True, blank=True, help_text=_("Number of pages of the issued PDF.")
    )
    render_state = models.CharField(
        _("rendering"),
        max_length=10,
        choices=RenderState.choices,
        blank=True,
        default="",
        help_text=_("Progress of the background rendering of the PDF."),
    )
    render_progress = models.PositiveSmallIntegerField(
        _("rendering progress (%)"),
        default=0,
        help_text=_("How far the rendering has got, for the progress bar."),
    )
    render_error = models.TextField(
        _("rendering error"), blank=True, help_text=_("Why the last rendering failed, if it did.")
    )
    created_by = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drafted by"),
        help_text=_("The clerk who drafted the document; empty for one generated on schedule (a bulletin)."),
    )
    created_at = models.DateTimeField(
        _("drafted at"), default=timezone.now, help_text=_("When the draft was created.")
    )
    issued_by = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
        help_text=_("The person who issued the document."),
    )
    issued_at = models.DateTimeField(
        _("issued at"), null=True, blank=True, help_text=_("When the document was issued; its date.")
    )
    superseded_at = models.DateTimeField(
        _("superseded at"), null=True, blank=True, help_text=_("When a corrected version replaced this one.")
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "doc_type"])]
        constraints = [
            # One number, one document — except the versions of a re-issue, which share it.
            models.UniqueConstraint(
                fields=["number", "version"],
                condition=~models.Q(number=""),
                name="document_number_version_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="issued") | (~models.Q(sha256="") & ~models.Q(number="")),
                name="document_issued_has_file_and_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.number or _('(draft)')}"

    @property
    def is_editable(self) -> bool:
        return self.status == DocumentStatus.DRAFT

    # --- lifecycle (services.py is the only caller) ---
    @transition(field="status", source=DocumentStatus.DRAFT, target=DocumentStatus.ISSUING)
    def start_issue(self):
        pass

    @transition(field="status", source=DocumentStatus.ISSUING, target=DocumentStatus.ISSUED)
    def finish_issue(self):
        pass

    @transition(field="status", source=DocumentStatus.ISSUED, target=DocumentStatus.SUPERSEDED)
    def supersede(self):
        self.superseded_at = timezone.now()
