"""Demo records of the areas app, built by `manage.py seed_demo`."""

from pathlib import Path

from portal.audit import Actor

from .models import Area, Organisation
from .services import (
    OrganisationProfile,
    create_organisation,
    import_districts,
    register_organisation,
)

DISTRICTS_CSV = Path(__file__).parent / "demo_data" / "districts.csv"

AREA_DESCRIPTIONS = {
    "A01": "駅の北側に広がる住宅地です。桜並木と丘の上の公園があります。",
    "A02": "川沿いの農地と新しい住宅地がまじる地域です。",
    "A03": "市役所と商店街がある市の中心部です。",
    "A04": "丘陵地の団地と緑地が多い地域です。",
    "A05": "大学と大きな公園がある、子育て世代の多い地域です。",
}

ORGANISATIONS = [
    (
        "桜ヶ丘一丁目自治会",
        "サクラガオカイッチョウメジチカイ",
        Organisation.Kind.JICHIKAI,
        ["A01"],
        "防災訓練、夏祭り、見守り活動を行っています。",
    ),
    (
        "関戸町内会",
        "セキドチョウナイカイ",
        Organisation.Kind.CHONAIKAI,
        ["A01"],
        "回覧板でのお知らせと、ごみ集積所の管理をしています。",
    ),
    (
        "東部地区社会福祉協議会",
        "トウブチクシャカイフクシキョウギカイ",
        Organisation.Kind.SHAKYO,
        ["A02"],
        "高齢者のサロンと配食サービスを運営しています。",
    ),
    (
        "NPO法人まちのえんがわ",
        "マチノエンガワ",
        Organisation.Kind.NPO,
        ["A03", "A04"],
        "子ども食堂と学習支援を行うNPOです。",
    ),
    (
        "架空大学 地域連携センター",
        "カクウダイガクチイキレンケイセンター",
        Organisation.Kind.UNIVERSITY,
        ["A05"],
        "学生ボランティアと地域の課題研究をつなぎます。",
    ),
    (
        "架空電鉄株式会社",
        "カクウデンテツ",
        Organisation.Kind.COMPANY,
        ["A01", "A03"],
        "駅前広場でのイベントに協力しています。",
    ),
]


SYSTEM = Actor.for_system("seed_demo")


def _profile(name, kana, kind, description):
    return OrganisationProfile(
        name=name,
        name_kana=kana,
        kind=kind,
        description=description,
        website="",
        contact_email="info@example.jp",
        contact_phone="",
    )


def seed(stdout):
    import_districts(data=DISTRICTS_CSV.read_bytes(), by=SYSTEM)
    for code, description in AREA_DESCRIPTIONS.items():
        Area.objects.filter(code=code, description="").update(description=description)
    for name, kana, kind, area_codes, description in ORGANISATIONS:
        if not Organisation.objects.filter(name=name, kind=kind).exists():
            create_organisation(
                profile=_profile(name, kana, kind, description),
                areas=Area.objects.filter(code__in=area_codes),
                by=SYSTEM,
            )
    stdout.write(f"地域 {Area.objects.count()} 件、団体 {Organisation.objects.count()} 件")


def seed_pending_registration():
    """A resident's registration waiting for staff (after the accounts exist)."""
    from portal.models import User

    resident = User.objects.filter(email="resident@example.jp").first()
    name = "桜ヶ丘見守りの会"
    if resident is None or Organisation.objects.filter(name=name).exists():
        return
    register_organisation(
        profile=_profile(
            name,
            "サクラガオカミマモリノカイ",
            Organisation.Kind.OTHER,
            "ひとり暮らしの高齢者を訪ねる住民のグループです。",
        ),
        areas=Area.objects.filter(code="A01"),
        position="chair",
        by=Actor.for_user(resident),
    )
