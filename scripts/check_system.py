"""Before `make run`: say which system package is missing instead of failing later with a traceback."""

import shutil
import sys

problems = []
try:
    import weasyprint  # noqa: F401 - importing loads Pango through cffi
except OSError as exc:
    problems.append(
        "WeasyPrint (PDF documents) needs the Pango libraries: "
        "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0  "
        f"(macOS: brew install pango). Detail: {exc}"
    )

if shutil.which("fc-list"):
    import subprocess

    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    if not fonts.strip():
        print(
            "Note: no Chinese font is installed; PDFs use the font the project embeds, but for best results "
            "install one: sudo apt-get install fonts-noto-cjk",
            file=sys.stderr,
        )

if problems:
    for p in problems:
        print(p, file=sys.stderr)
    sys.exit(1)
