from django.core.management.base import BaseCommand, CommandError

from portal.audit import Actor
from portal.csvio import ImportRejected
from portal.errors import ServiceError
from surveys.questionnaires.imports import import_answers


class Command(BaseCommand):
    help = "Import answers to the standard issue-matrix questionnaire (all-or-nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--survey", required=True, help="survey code")

    def handle(self, *args, file, survey, **options):
        try:
            with open(file, "rb") as handle:
                result = import_answers(
                    data=handle, survey_code=survey, by=Actor.for_system("manage.py import_answers")
                )
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file") from None
        except ImportRejected as rejected:
            for line in rejected.report_lines():
                self.stderr.write(line)
            raise SystemExit(1) from None
        except ServiceError as error:
            self.stderr.write(str(error.message))
            raise SystemExit(1) from None
        self.stdout.write(str(result.rows))
