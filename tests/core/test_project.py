"""Project-level promises: translations complete and compiled, compose file complete."""

from pathlib import Path

import pytest
import yaml
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


def _po_entries(path: Path) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of a catalogue written with --no-wrap (one line each)."""
    import json

    entries, msgid = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            msgid = json.loads(line[6:])
        elif line.startswith("msgstr ") and msgid:
            entries.append((msgid, json.loads(line[7:])))
            msgid = None
    return entries


def test_every_string_has_a_compiled_chinese_translation():
    entries = _po_entries(ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 100
    untranslated = [msgid for msgid, msgstr in entries if not msgstr]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    with translation.override("zh-hans"):
        stale = [msgid for msgid, msgstr in entries if translation.gettext(msgid) != msgstr]
    assert not stale, f"django.mo is older than django.po (run make messages): {stale[:5]}"


@pytest.mark.parametrize("service", ["db", "redis", "web", "worker", "beat"])
def test_compose_runs_every_process_with_a_health_check(service):
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert "healthcheck" in compose["services"][service]
    assert "pgdata" in compose["volumes"]


def test_compose_web_serves_through_gunicorn_after_migrating():
    web = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]
    command = " ".join(web["command"])
    assert "migrate" in command and "gunicorn" in command
