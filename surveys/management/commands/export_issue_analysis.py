import sys

from django.core.management.base import BaseCommand, CommandError

from portal import audit
from portal.audit import Actor
from surveys.analysis.exports import issue_csv
from surveys.analysis.issues import analyse
from surveys.models import Survey


class Command(BaseCommand):
    help = "Write the per-issue analysis of a survey as CSV (UTF-8 with BOM)."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--output")

    def handle(self, *args, code, output=None, **options):
        survey = Survey.objects.filter(code=code).first()
        if survey is None:
            raise CommandError(f"no survey with the code {code}")
        data = issue_csv(analyse(survey))
        audit.record(
            by=Actor.for_system("manage.py export_issue_analysis"),
            action="surveys.analysis.exported",
            target=survey,
            data={"format": "csv"},
        )
        if output:
            with open(output, "wb") as handle:
                handle.write(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
