from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .navigation import entries_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    entries = entries_for(user) if user is not None and user.is_authenticated else []
    current = request.path.strip("/").split("/", 1)[0]
    return {"nav_entries": entries, "nav_current": current, "site_name": settings.HUAJIE_SITE_NAME}
