"""The demo city: one account per role and each app's demo records.

Demo accounts exist only where `seed_demo` ran; never run it in production.
"""

from allauth.account.models import EmailAddress
from django.db import transaction

from areas import demo as areas_demo
from areas.models import District, Organisation

from .models import Role, User

DEMO_PASSWORD = "portal-demo"

DEMO_USERS = [
    ("resident@example.jp", "多摩 花子", "タマ ハナコ", Role.RESIDENT),
    ("representative@example.jp", "桜井 一郎", "サクライ イチロウ", Role.REPRESENTATIVE),
    ("officer@example.jp", "関戸 健", "セキド ケン", Role.LIAISON_OFFICER),
    ("senior-officer@example.jp", "永山 聡子", "ナガヤマ サトコ", Role.LIAISON_OFFICER),
    ("coordinator@example.jp", "諏訪 由美", "スワ ユミ", Role.COORDINATOR),
    ("reviewer@example.jp", "聖 真一", "ヒジリ シンイチ", Role.REVIEWER),
    ("admin@example.jp", "鶴牧 修", "ツルマキ オサム", Role.ADMINISTRATOR),
]

# Each app adds its demo builder here; they run in this order and each must be
# safe to run twice.
APP_SEEDERS = [areas_demo.seed]


def _seed_users(stdout):
    home = District.objects.filter(code="A0101").first()
    for email, name, kana, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"full_name": name, "full_name_kana": kana, "role": role}
        )
        user.role = role
        user.district = user.district or home
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    representative = User.objects.get(email="representative@example.jp")
    organisation = Organisation.objects.get(name="桜ヶ丘一丁目自治会")
    organisation.representatives.add(representative)


def build_demo(stdout):
    with transaction.atomic():
        for seeder in APP_SEEDERS:
            seeder(stdout)
        _seed_users(stdout)
    stdout.write("")
    stdout.write(f"デモ用アカウント（パスワードはすべて {DEMO_PASSWORD}）:")
    for email, name, _kana, role in DEMO_USERS:
        stdout.write(f"  {email:<28} {role.label}（{name}）")
