from celery import shared_task

from .services import document_render


@shared_task(name="documents.tasks.render_document", acks_late=True)
def render_document(*, document_id: int) -> None:
    """Render an issued document's PDF. Safe to receive twice (the service checks the state)."""
    document_render(document_id=document_id)
