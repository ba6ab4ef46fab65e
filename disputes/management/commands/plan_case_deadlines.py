"""``manage.py plan_case_deadlines``: give every case recorded before the deadline engine its stored
clocks, by replaying its timeline (``disputes.case_deadlines.replay``). Run once after upgrading; it is
safe to run again (a case that has clocks is left alone) and to interrupt (each case is one
transaction). The case list, the home-page counts and the API read only stored clocks, so a case
without them shows no deadline until this has run. Last, every case's earliest last day
(``Dispute.next_due_on``) is written again from the stored clocks."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Exists, OuterRef

from disputes.case_deadlines import case_deadlines, clocks_changed, replay
from disputes.models import Dispute


class Command(BaseCommand):
    help = "Plan the stored deadlines of cases recorded before the deadline engine (replays their timeline)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count the cases without clocks.")

    def handle(self, *args, dry_run: bool = False, **options):
        without = Dispute.objects.exclude(Exists(case_deadlines().filter(subject_id=OuterRef("pk"))))
        ids = list(without.order_by("pk").values_list("pk", flat=True))
        if dry_run:
            self.stdout.write(f"{len(ids)} cases have no stored deadlines.")
            return
        planned = clocks = 0
        for pk in ids:
            with transaction.atomic():
                dispute = Dispute.objects.select_for_update().get(pk=pk)
                count = replay(dispute)
            if count:
                planned += 1
                clocks += count
        with transaction.atomic():
            refreshed = clocks_changed()
        self.stdout.write(
            f"{len(ids)} cases without stored deadlines; {planned} now have {clocks} deadlines "
            f"(the others have no clock to run). The earliest last day of {refreshed} cases written again."
        )
