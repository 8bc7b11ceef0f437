from django.core.management.base import BaseCommand

from portal.audit import Actor
from surveys import services


class Command(BaseCommand):
    help = "Purge registers whose surveys closed more than SURVEYS_PURGE_AFTER_DAYS days ago."

    def handle(self, *args, **options):
        purged = services.purge_expired_registers(by=Actor.for_system("manage.py purge_registers"))
        for register in purged:
            self.stdout.write(f"purged {register.reference_date.isoformat()}")
