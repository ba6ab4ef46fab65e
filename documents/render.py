"""HTML → PDF with WeasyPrint, Chinese fonts embedded.

The CJK faces come from a PyPI wheel (``pylopdf-fonts-zh-cn``: Noto Serif SC, a Song face for the
body, and Noto Sans SC for headings), loaded with @font-face from the installed package, so a PDF
renders the same on a laptop without Chinese fonts, in CI and in the docker image; WeasyPrint
subsets them, so a two-page notice stays small. Debian's fonts-noto-cjk is a second fallback.
"""

from __future__ import annotations

import hashlib
import io
from functools import cache
from pathlib import Path

from django.template.loader import get_template, render_to_string

from .types import SPECS, template_name


@cache
def font_dir() -> Path:
    import pylopdf_fonts_zh_cn

    return Path(pylopdf_fonts_zh_cn.__file__).resolve().parent


@cache
def font_face_css() -> str:
    fonts = font_dir()
    return (
        "@font-face { font-family: 'Huajie Song'; "
        f"src: url('{(fonts / 'NotoSerifSC-Regular.otf').as_uri()}'); }}\n"
        "@font-face { font-family: 'Huajie Hei'; "
        f"src: url('{(fonts / 'NotoSansSC-Regular.otf').as_uri()}'); }}\n"
    )


@cache
def template_version(doc_type: str) -> str:
    """The template's identity: its name and a hash of its source (and of the base it extends), so an
    issued document records exactly which text produced it."""
    digest = hashlib.sha256()
    for name in ("documents/base_document.html", template_name(doc_type)):
        source = Path(get_template(name).origin.name).read_bytes()
        digest.update(source)
    return f"{doc_type}@{digest.hexdigest()[:12]}"


def render_html(
    *, doc_type: str, number: str, fields: dict, context: dict, issuer_name: str, issued_on, preview=False
) -> str:
    spec = SPECS[doc_type]
    return render_to_string(
        template_name(doc_type),
        {
            "spec": spec,
            "title": spec.title,
            "number": number,
            "fields": fields,
            "case": context,
            "issuer_name": issuer_name,
            "issued_on": issued_on,
            "preview": preview,
            "font_face_css": font_face_css(),
        },
    )


def render_pdf(html: str) -> tuple[bytes, int]:
    """The PDF bytes and its page count. Everything is built in memory: nothing is written anywhere
    until the whole document has rendered."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    # A fresh font configuration per document: @font-face files are registered per configuration,
    # and sharing one across renders would keep every document's fonts alive.
    document = HTML(string=html, base_url=str(font_dir())).render(font_config=FontConfiguration())
    buffer = io.BytesIO()
    document.write_pdf(buffer)
    return buffer.getvalue(), len(document.pages)
