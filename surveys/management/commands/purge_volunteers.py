from django.core.management.base import BaseCommand

from portal.audit import Actor
from surveys.questionnaires import services


class Command(BaseCommand):
    help = "Erase volunteer records past keeping (SURVEYS_VOLUNTEER_PURGE_AFTER_DAYS)."

    def handle(self, *args, **options):
        erased = services.purge_expired_volunteers(
            by=Actor.for_system("manage.py purge_volunteers")
        )
        self.stdout.write(f"erased {erased} volunteer records")
