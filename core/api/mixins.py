from core.access import scoped


class ScopedQuerysetMixin:
    """Lists and detail lookups see only what ``core.access`` allows: others' records are 404."""

    def get_queryset(self):
        return scoped(super().get_queryset(), self.request.user)
