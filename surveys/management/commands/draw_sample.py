import sys

from django.core.management.base import BaseCommand

from portal.audit import Actor
from portal.errors import ServiceError
from surveys import services
from surveys.management.commands.import_register import iso_date
from surveys.models import Draw, Register


class Command(BaseCommand):
    help = (
        "Draw residents from the register of a reference date, record the draw and "
        "write the drawn 住民番号, one a line, sorted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reference-date", required=True, type=iso_date)
        parser.add_argument("--size", required=True, type=int)
        parser.add_argument("--seed", required=True)
        parser.add_argument("--method", choices=Draw.Method.values, default=Draw.Method.SIMPLE)
        parser.add_argument("--age-min", type=int, default=None)
        parser.add_argument("--age-max", type=int, default=None)
        parser.add_argument("--as-of", type=iso_date, default=None)
        parser.add_argument("--purpose", required=True)
        parser.add_argument("--legal-basis", required=True)
        parser.add_argument("--title", default="")
        parser.add_argument("--output", default=None)

    def handle(self, *args, **options):
        register = Register.objects.filter(reference_date=options["reference_date"]).first()
        if register is None or register.is_purged:
            self.stderr.write(f"no register for {options['reference_date'].isoformat()}")
            sys.exit(1)
        try:
            draw = services.draw_sample(
                register=register,
                size=options["size"],
                seed=options["seed"],
                method=options["method"],
                as_of=options["as_of"],
                age_min=options["age_min"],
                age_max=options["age_max"],
                purpose=options["purpose"],
                legal_basis=options["legal_basis"],
                title=options["title"],
                by=Actor.for_system("manage.py draw_sample"),
            )
        except ServiceError as error:
            self.stderr.write(error.message)
            sys.exit(1)
        text = "".join(f"{number}\n" for number in services.drawn_numbers(draw))
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
