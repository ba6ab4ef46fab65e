from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.backends import ModelBackend

if TYPE_CHECKING:
    from core.models import User


class HuajieBackend(ModelBackend):
    """Loads the signed-in user with organisation and region in one query: every page scopes by them."""

    def get_user(self, user_id: int) -> User | None:
        from core.models import User

        try:
            user = User.objects.select_related("organisation__region").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
