"""Preload the 17 SDGs and the 21 local issues of the resident survey
(「地域活動及び市民活動に関する市民意識調査」), which staff may edit afterwards."""

from django.db import migrations

SDG_GOALS = [
    (1, "貧困をなくそう"),
    (2, "飢餓をゼロに"),
    (3, "すべての人に健康と福祉を"),
    (4, "質の高い教育をみんなに"),
    (5, "ジェンダー平等を実現しよう"),
    (6, "安全な水とトイレを世界中に"),
    (7, "エネルギーをみんなに そしてクリーンに"),
    (8, "働きがいも経済成長も"),
    (9, "産業と技術革新の基盤をつくろう"),
    (10, "人や国の不平等をなくそう"),
    (11, "住み続けられるまちづくりを"),
    (12, "つくる責任 つかう責任"),
    (13, "気候変動に具体的な対策を"),
    (14, "海の豊かさを守ろう"),
    (15, "陸の豊かさも守ろう"),
    (16, "平和と公正をすべての人に"),
    (17, "パートナーシップで目標を達成しよう"),
]

LOCAL_ISSUES = [
    (1, "集合住宅内のつながりづくり", [11, 17]),
    (2, "世代を超えたつながりや交流", [11, 17]),
    (3, "地域で孤立しがちな人々への見守り、地域で支えること", [3, 10, 11]),
    (4, "支援が必要な人を発見したり、地域で支えること", [3, 10]),
    (5, "防災意識を高めたり、日常的に備えたりすること", [11, 13]),
    (6, "災害時に支援が必要な人の把握", [11, 13]),
    (7, "高齢者の生活支援", [3, 11]),
    (8, "障がい者への理解・生活支援", [3, 10]),
    (9, "健康づくり・介護予防（健康寿命を延ばすこと）", [3]),
    (10, "生活困窮者への支援", [1, 2, 10]),
    (11, "外国人が地域で暮らしやすくなること", [10, 16]),
    (12, "子育て家庭への支援", [3, 4, 5]),
    (13, "子どもの健全育成・学習支援", [4]),
    (14, "趣味や教養など生涯学習の機会の充実", [4]),
    (15, "芸術や文化を盛んにすること", [4, 11]),
    (16, "地域の美化や、生活環境の保全・整備", [11, 15]),
    (17, "ごみの減量化や資源化", [12]),
    (18, "交通安全や防犯対策", [11, 16]),
    (19, "地域の歴史や伝統を守る活動", [11]),
    (20, "外出困難者・移動困難者への支援", [10, 11]),
    (21, "情報化や情報格差への対応", [4, 9, 10]),
]


def preload(apps, schema_editor):
    SdgGoal = apps.get_model("areas", "SdgGoal")
    LocalIssue = apps.get_model("areas", "LocalIssue")
    goals = {}
    for number, name in SDG_GOALS:
        goals[number], _ = SdgGoal.objects.get_or_create(number=number, defaults={"name": name})
    for number, title, sdgs in LOCAL_ISSUES:
        issue, created = LocalIssue.objects.get_or_create(number=number, defaults={"title": title})
        if created:
            issue.sdg_goals.set([goals[n] for n in sdgs])


def unload(apps, schema_editor):
    apps.get_model("areas", "LocalIssue").objects.filter(
        number__in=[n for n, _, _ in LOCAL_ISSUES]
    ).delete()
    apps.get_model("areas", "SdgGoal").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("areas", "0002_initial")]

    operations = [migrations.RunPython(preload, unload)]
