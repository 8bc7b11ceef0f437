import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from portal.audit import Actor
from portal.csvio import ImportRejected
from portal.errors import ServiceError
from surveys import services


def iso_date(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from None


class Command(BaseCommand):
    help = "Import a resident register extract (all or nothing); prints the number of rows."
    # A data job, not a deployment step: the project's system checks (about
    # 0.4 s, a sixth of a large import) are run by `check --deploy`, migrate
    # and the web server, which is where a configuration problem is met.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--reference-date", required=True, type=iso_date)
        parser.add_argument("--purpose", default="無作為抽出アンケートの対象者抽出")
        parser.add_argument("--legal-basis", default="住民基本台帳法第11条の2")
        parser.add_argument("--approval-body", default="")
        parser.add_argument("--approval-number", default="")
        parser.add_argument("--approval-date", type=iso_date, default=None)

    def handle(self, *args, **options):
        try:
            with open(options["file"], "rb") as handle:
                result = services.import_register(
                    data=handle,
                    reference_date=options["reference_date"],
                    purpose=options["purpose"],
                    legal_basis=options["legal_basis"],
                    approval_body=options["approval_body"],
                    approval_number=options["approval_number"],
                    approval_date=options["approval_date"],
                    by=Actor.for_system("manage.py import_register"),
                )
        except OSError as error:
            raise CommandError(str(error)) from None
        except ImportRejected as rejected:
            for line in rejected.report_lines():
                self.stderr.write(line)
            sys.exit(1)
        except ServiceError as error:
            self.stderr.write(error.message)
            sys.exit(1)
        self.stdout.write(str(result.rows))
