from django.core.management.base import BaseCommand

from demo.services import demo_logins, demo_seed


class Command(BaseCommand):
    help = "Create or refresh the demo county (郧西县). Safe to run again: nothing is duplicated."

    def add_arguments(self, parser):
        parser.add_argument("--print-logins", action="store_true", help="List the demo logins afterwards.")

    def handle(self, *args, print_logins=False, **options):
        counts = demo_seed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {counts['regions']} regions, {counts['organisations']} organisations, "
                f"{counts['users']} users, {counts['disputes']} disputes."
            )
        )
        if print_logins:
            self.stdout.write("")
            self.stdout.write("演示账号 Demo logins (password for all):")
            for username, password, name, what in demo_logins():
                self.stdout.write(f"  {username:<10} {password:<12} {name:<4}  {what}")
