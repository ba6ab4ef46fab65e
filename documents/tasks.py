"""The Celery task that renders an issued document. It imports the services (never the other way
round) and registers itself as their render queue when the app is ready (``DocumentsConfig``)."""

from celery import shared_task

from .services import document_render, register_render_queue


# acks_late + reject_on_worker_lost: a worker killed mid-render (out of memory, deploy) has its message
# delivered again instead of leaving the document "rendering" for ever; the service is safe to re-run.
@shared_task(name="documents.tasks.render_document", acks_late=True, reject_on_worker_lost=True)
def render_document(*, document_id: int) -> None:
    """Render an issued document's PDF. Safe to receive twice (the service checks the state)."""
    document_render(document_id=document_id)


def queue_render(document_id: int) -> None:
    render_document.delay(document_id=document_id)


register_render_queue(queue_render)
