"""What an uploaded file really is, read from its first bytes ("magic numbers"), not from its name or
from the type the browser reports (both are the uploader's to choose).

A case file's attachments are PDF, OFD, images, Word, Excel or plain text. A file whose content is not
the kind its extension names (a web page renamed ``.pdf``, a script renamed ``.txt``) is refused, so
that nothing stored can later be opened by a browser as a page of this site; and downloads are sent
with the content type of the extension's kind, never one the uploader supplied."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    name: str
    magic: tuple[bytes, ...]
    content_types: dict[str, str]  # extension → the content type a download is sent with


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File Binary: legacy .doc and .xls
ZIP = b"PK\x03\x04"  # .docx, .xlsx and .ofd are ZIP packages

KINDS = (
    FileKind("pdf", (b"%PDF-",), {"pdf": "application/pdf"}),
    FileKind("png", (b"\x89PNG\r\n\x1a\n",), {"png": "image/png"}),
    FileKind("jpeg", (b"\xff\xd8\xff",), {"jpg": "image/jpeg", "jpeg": "image/jpeg"}),
    FileKind("gif", (b"GIF87a", b"GIF89a"), {"gif": "image/gif"}),
    FileKind("ole2", (OLE2,), {"doc": "application/msword", "xls": "application/vnd.ms-excel"}),
    FileKind(
        "docx", (ZIP,), {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    ),
    FileKind("xlsx", (ZIP,), {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    FileKind("ofd", (ZIP,), {"ofd": "application/ofd"}),
    FileKind("text", (), {"txt": "text/plain"}),
)
KIND_OF_EXTENSION = {ext: kind for kind in KINDS for ext in kind.content_types}

# A ZIP package is the kind its extension names only if it holds that kind's main part: the main
# document of Word (ISO/IEC 29500), the workbook of Excel, the entry file of OFD (GB/T 33190-2016).
ZIP_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "ofd": "OFD.xml"}

# Markup a browser could take for a page (or an SVG image, which runs scripts): not "plain text".
MARKUP = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<iframe", b"<?xml", b"<!--")
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")


def download_content_type(filename: str) -> str:
    """The content type an attachment named ``filename`` is sent with: its extension's kind, or
    ``application/octet-stream`` (never text/html, whatever the file holds)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kind = KIND_OF_EXTENSION.get(extension)
    return kind.content_types[extension] if kind else "application/octet-stream"


def _is_plain_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in TEXT_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        head = text.lstrip("\ufeff \t\r\n\f\v").lower().encode("utf-8", "replace")
        start = text[:4096].lower().encode("utf-8", "replace")
        if head.startswith(b"<") and head[1:2].isalpha():
            return False  # opens with a tag
        return not any(tag in start for tag in MARKUP)
    return False


def _zip_holds(upload: IO[bytes], part: str) -> bool:
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return part in names or any(name.lower() == part.lower() for name in names)


def content_matches(upload: IO[bytes], extension: str) -> bool:
    """Whether the file's content is the kind its (lower-case) extension names. Reads the file and
    puts it back at its start."""
    kind = KIND_OF_EXTENSION.get(extension)
    if kind is None:
        return False
    try:
        upload.seek(0)
        if kind.name == "text":
            return _is_plain_text(upload.read())
        head = upload.read(16)
        if not any(head.startswith(magic) for magic in kind.magic):
            return False
        if kind.name in ZIP_PARTS:
            upload.seek(0)
            return _zip_holds(upload, ZIP_PARTS[kind.name])
        return True
    finally:
        upload.seek(0)


def check_upload(upload: IO[bytes], *, extension: str, field: str = "file") -> None:
    """Refuse (``ValidationError`` on ``field``) a file whose content is not what its extension says."""
    if not content_matches(upload, extension):
        raise ValidationError(
            {
                field: _(
                    "The content of this file does not match its type (.%(extension)s): it may have been "
                    "renamed or damaged. Nothing was attached."
                )
                % {"extension": extension}
            }
        )
