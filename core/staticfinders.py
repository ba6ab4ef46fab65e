"""Static files from the npm lockfile (``package.json``, ``package-lock.json``, installed by ``npm ci``
into ``node_modules``): only the files named in ``settings.NODE_STATIC`` are served and collected, under
a prefix of their own, so a package's sources, maps and other builds stay out of the static root."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Warning
from django.core.files.storage import FileSystemStorage


class NodeModulesFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        root = settings.BASE_DIR / "node_modules"
        # (prefix, storage, file names)
        self.sources: list[tuple[str, FileSystemStorage, list[str]]] = []
        for prefix, folder, names in getattr(settings, "NODE_STATIC", []):
            storage = FileSystemStorage(location=os.fspath(root / folder))
            storage.prefix = prefix  # type: ignore[attr-defined]  # read by collectstatic, as for STATICFILES_DIRS
            self.sources.append((prefix, storage, list(names)))

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        missing = [f"{prefix}/{name}" for prefix, storage, names in self.sources for name in names
                   if not storage.exists(name)]  # fmt: skip
        if not missing:
            return []
        return [
            Warning(f"Not installed: {', '.join(missing)}. Run `npm ci` (make venv does).", id="huajie.W001")
        ]

    # Django's own finders return [] for "not found" (the stubs say None), and take the older ``all``.
    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str]:  # type: ignore[override]
        found: list[str] = []
        for prefix, storage, names in self.sources:
            name = path.removeprefix(f"{prefix}/")
            if name != path and name in names and storage.exists(name):
                if not (find_all or kwargs.get("all")):
                    return storage.path(name)
                found.append(storage.path(name))
        return found

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for _prefix, storage, names in self.sources:
            for name in names:
                if storage.exists(name):
                    yield name, storage
