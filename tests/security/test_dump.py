"""A database dump taken after the demo data is loaded holds no resident ID number and no mobile number in
clear: the parties, their history, the search text, the documents' snapshots, the users and the text
messages' addresses are all encrypted or free of them."""

import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.db import connection

from core.validators import resident_id_check_char

# A number standing alone (not inside a longer run of letters and digits, as in a hash or a ciphertext).
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17})([\dXx])(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


def ids_in(text: str) -> list[str]:
    """18-character resident ID numbers (with a valid check character) in ``text``."""
    return [a + b for a, b in ID_NUMBER.findall(text) if resident_id_check_char(a) == b.upper()]


def test_the_scan_finds_what_it_looks_for():
    sample = "王大山 420322198001011238 13907191234 sha 4f3a13907191234b 12345678901234567890"
    assert ids_in(sample) == ["420322198001011238"]
    assert MOBILE.findall(sample) == ["13907191234"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump reads a PostgreSQL database.")
@pytest.mark.django_db(transaction=True)
def test_a_dump_after_demo_seed_has_no_id_or_mobile_number_in_clear():
    call_command("demo_seed", verbosity=0)
    from disputes.models import Party

    assert Party.objects.exclude(id_number="").count() >= 5  # there is something to find
    assert Party.objects.exclude(phone="").count() >= 5
    assert shutil.which("pg_dump"), "pg_dump is needed (postgresql-client; .ci/run installs it)"
    db = connection.settings_dict
    env = {"PGPASSWORD": db.get("PASSWORD") or ""}
    command = ["pg_dump", "--data-only", "--no-owner", "-h", db.get("HOST") or "127.0.0.1"]
    command += ["-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres", db["NAME"]]
    dump = subprocess.run(command, check=True, capture_output=True, env=env, timeout=120).stdout.decode()
    assert "COPY public.disputes_party" in dump and "COPY public.disputes_historicalparty" in dump
    assert ids_in(dump) == []
    assert MOBILE.findall(dump) == []
