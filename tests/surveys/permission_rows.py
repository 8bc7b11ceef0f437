"""The surveys app's rows of the permission table (see tests/permission_table.py).

The register and draws are the city's, not an area's or an organisation's:
only coordinators reach them, whoever else asks (403), and anonymous
visitors go to the login page. The answer page is public.
"""

from datetime import date

from django.core.files.base import ContentFile

from portal.audit import Actor
from surveys import services
from surveys.models import Register, Resident
from tests.permission_table import Row

COORDINATOR_ONLY = {"anonymous": 302, "coordinator": 200}


def build(world):
    register = Register.objects.create(
        reference_date=date(2026, 10, 1), purpose="調査", legal_basis="審議会の承認", row_count=3
    )
    for n in range(3):
        Resident.objects.create(
            register=register,
            line=n + 2,
            resident_number=f"P{n}",
            name="表 太郎",
            birth_date=date(1970, 1, 1),
            sex="1",
            postal_code="206-0011",
            address="架空市表町1番1号",
            district=world["district"],
        )
    draw = services.draw_sample(
        register=register,
        size=2,
        seed="table",
        purpose="調査",
        legal_basis="審議会の承認",
        by=Actor.for_system("tests"),
    )
    draw.letters.save("letters-table.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    world["register"] = register
    world["draw"] = draw


def _register(world):
    return {"pk": world["register"].pk}


def _draw(world):
    return {"pk": world["draw"].pk}


ROWS = [
    Row("surveys:registers", default=403, expect=COORDINATOR_ONLY),
    Row("surveys:register_import", default=403, expect=COORDINATOR_ONLY),
    Row("surveys:register", kwargs=_register, default=403, expect=COORDINATOR_ONLY),
    Row(
        "surveys:register",
        kwargs={"pk": 999999},
        note="no such register",
        default=403,
        expect={"anonymous": 302, "coordinator": 404},
    ),
    Row(
        "surveys:register_purge",
        kwargs=_register,
        method="post",
        data={},
        default=403,
        expect={"anonymous": 302, "coordinator": 302},
        redirect_to="/surveys/registers/",
    ),
    Row(
        "surveys:register_purge",
        kwargs=_register,
        note="GET",
        default=405,
        expect={},
    ),
    Row("surveys:draws", default=403, expect=COORDINATOR_ONLY),
    Row("surveys:draw_create", default=403, expect=COORDINATOR_ONLY),
    Row("surveys:draw", kwargs=_draw, default=403, expect=COORDINATOR_ONLY),
    Row(
        "surveys:draw",
        kwargs={"pk": 999999},
        note="no such draw",
        default=403,
        expect={"anonymous": 302, "coordinator": 404},
    ),
    Row(
        "surveys:draw_letters",
        kwargs=_draw,
        method="post",
        default=403,
        expect={"anonymous": 302, "coordinator": 302},
        redirect_to="/staff/jobs/",
    ),
    Row("surveys:draw_letters_pdf", kwargs=_draw, default=403, expect=COORDINATOR_ONLY),
    Row("surveys:draw_mailing_list", kwargs=_draw, default=403, expect=COORDINATOR_ONLY),
    Row("surveys:calibration", default=403, expect=COORDINATOR_ONLY),
    Row("surveys:answer", default=200, expect={}),
]
