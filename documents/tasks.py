from celery import shared_task

from .services import document_render


# acks_late + reject_on_worker_lost: a worker killed mid-render (out of memory, deploy) has its message
# delivered again instead of leaving the document "rendering" for ever; the service is safe to re-run.
@shared_task(name="documents.tasks.render_document", acks_late=True, reject_on_worker_lost=True)
def render_document(*, document_id: int) -> None:
    """Render an issued document's PDF. Safe to receive twice (the service checks the state)."""
    document_render(document_id=document_id)
