"""The demo city: one account per role and each app's demo records.

Demo accounts exist only where `seed_demo` ran; never run it in production.
Every app may have a `demo.py` with `seed(stdout)`; they run after the areas
and the accounts, in the order of PROJECT_APPS, and each must be safe to run
twice. Demo records are made through the services, so the demo's audit log
shows what they did.
"""

from datetime import date
from importlib import import_module

from allauth.account.models import EmailAddress
from django.apps import apps
from django.utils.module_loading import module_has_submodule

from areas import demo as areas_demo
from areas.karte import demo as karte_demo
from areas.models import District, Organisation, Representation
from areas.news import demo as news_demo

from .apps import PROJECT_APPS
from .audit import Actor
from .dashboard import demo as dashboard_demo
from .models import Role, RoleAssignment, User

DEMO_PASSWORD = "portal-demo"

# (email, name, kana, roles, label): the roles a demo account holds; the
# representative holds none and acts through a Representation.
DEMO_USERS = [
    ("resident@example.jp", "多摩 花子", "タマ ハナコ", (), "住民"),
    (
        "representative@example.jp",
        "桜井 一郎",
        "サクライ イチロウ",
        (),
        "団体代表（桜ヶ丘一丁目自治会）",
    ),
    ("officer@example.jp", "関戸 健", "セキド ケン", (Role.LIAISON_OFFICER,), "地域担当職員"),
    (
        "senior-officer@example.jp",
        "永山 聡子",
        "ナガヤマ サトコ",
        (Role.LIAISON_OFFICER, Role.REVIEWER),
        "地域担当職員（経験者）・審査員",
    ),
    ("coordinator@example.jp", "諏訪 由美", "スワ ユミ", (Role.COORDINATOR,), "コーディネーター"),
    ("reviewer@example.jp", "聖 真一", "ヒジリ シンイチ", (Role.REVIEWER,), "審査員"),
    ("admin@example.jp", "鶴牧 修", "ツルマキ オサム", (Role.ADMINISTRATOR,), "管理者"),
]
DEMO_REPRESENTATION_START = date(2026, 4, 1)


def _seed_users(stdout):
    home = District.objects.filter(code="A0101").first()
    for email, name, kana, roles, _label in DEMO_USERS:
        user, _created = User.objects.get_or_create(
            email=email, defaults={"full_name": name, "full_name_kana": kana}
        )
        user.district = user.district or home
        user.set_password(DEMO_PASSWORD)
        user.is_staff = Role.ADMINISTRATOR in roles
        user.save()
        for role in roles:
            RoleAssignment.objects.get_or_create(user=user, role=role)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    _seed_representative()


def _seed_representative():
    from areas.services import link_representative

    administrator = User.objects.get(email="admin@example.jp")
    representative = User.objects.get(email="representative@example.jp")
    organisation = Organisation.objects.get(name="桜ヶ丘一丁目自治会")
    if not Representation.objects.filter(user=representative, organisation=organisation).exists():
        link_representative(
            organisation=organisation,
            user=representative,
            position=Representation.Position.CHAIR,
            valid_from=DEMO_REPRESENTATION_START,
            by=Actor.for_user(administrator, Role.ADMINISTRATOR),
        )


def _app_seeders():
    for config in apps.get_app_configs():
        own = config.name in PROJECT_APPS and config.name not in ("portal", "areas")
        if own and module_has_submodule(config.module, "demo"):
            yield import_module(f"{config.name}.demo").seed


def build_demo(stdout):
    # No transaction around it all: services take their own (durable) locks.
    areas_demo.seed(stdout)
    _seed_users(stdout)
    areas_demo.seed_pending_registration()
    news_demo.seed(stdout)
    for seed in _app_seeders():
        seed(stdout)
    # The karte and the logic model read the other apps' demo records.
    karte_demo.seed(stdout)
    dashboard_demo.seed(stdout)
    stdout.write("")
    stdout.write(f"デモ用アカウント（パスワードはすべて {DEMO_PASSWORD}）:")
    for email, name, _kana, _roles, label in DEMO_USERS:
        stdout.write(f"  {email:<28} {label}（{name}）")
