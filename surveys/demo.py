"""Demo records of the surveys app: a register of 300 fake residents (the
format sample plus generated rows) and one small draw with access codes."""

from datetime import date
from pathlib import Path

from portal.audit import Actor
from portal.models import Role, User

from . import services
from .models import Draw, Register
from .panels import demo as panels_demo

REGISTER_CSV = Path(__file__).parent / "demo_data" / "register_demo_cp932.csv"
REFERENCE_DATE = date(2026, 10, 1)
PURPOSE = "令和8年度 市民意識調査（地域活動と地域課題）の対象者抽出"
LEGAL_BASIS = "住民基本台帳法第11条の2・個人情報保護審議会の承認"
APPROVAL = {
    "approval_body": "架空市個人情報保護審議会",
    "approval_number": "架個審第12号",
    "approval_date": date(2026, 9, 1),
}


def seed(stdout):
    coordinator = User.objects.get(email="coordinator@example.jp")
    by = Actor.for_user(coordinator, Role.COORDINATOR)
    register = Register.objects.filter(reference_date=REFERENCE_DATE).first()
    if register is None or not register.row_count:
        with REGISTER_CSV.open("rb") as handle:
            result = services.import_register(
                data=handle,
                reference_date=REFERENCE_DATE,
                purpose=PURPOSE,
                legal_basis=LEGAL_BASIS,
                by=by,
                **APPROVAL,
            )
        register = result.register
        stdout.write(f"surveys: imported a register of {result.rows} residents")
    if not Draw.objects.filter(register=register).exists():
        draw = services.draw_sample(
            register=register,
            title="令和8年度 市民意識調査",
            size=20,
            seed="demo-2026",
            method=Draw.Method.STRATIFIED,
            age_min=40,
            age_max=79,
            purpose=PURPOSE,
            legal_basis=LEGAL_BASIS,
            answer_deadline=date(2026, 11, 30),
            closes_on=date(2026, 12, 15),
            by=by,
            **APPROVAL,
        )
        stdout.write(f"surveys: drew {draw.invitations.count()} residents with access codes")
    panels_demo.seed(stdout)
