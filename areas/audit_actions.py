"""The audit codes of areas, its karte and its news (read by the audit-log page)."""

from django.utils.translation import gettext_lazy as _

from portal.audit import ActionType as A
from portal.audit import register_actions, register_target_name

CHANGES = {"changes": "変更した項目ごとの旧・新の値（個人情報は伏せ字）"}
STATUS = {"changes": "status: 変更前と変更後の状態"}

register_actions(
    # Districts, organisations and representation.
    A(
        "areas.districts.imported",
        _("町丁目・地域を取込"),
        {
            "rows": "読んだ行数",
            "areas_created": "新しく作った地域の数",
            "areas_updated": "更新した地域の数",
            "districts_created": "新しく作った町丁目の数",
            "districts_updated": "更新した町丁目の数",
        },
    ),
    A("areas.local_issue.created", _("地域の課題を登録"), CHANGES),
    A("areas.local_issue.updated", _("地域の課題を変更"), CHANGES),
    A("areas.organisation.created", _("団体を登録"), CHANGES),
    A("areas.organisation.registration_applied", _("団体の登録を申請"), CHANGES),
    A("areas.organisation.updated", _("団体の情報を変更"), CHANGES),
    A("areas.organisation.approved", _("団体の登録を承認")),
    A(
        "areas.organisation_contacts.viewed",
        _("団体の連絡先を閲覧"),
        {"shown": "表示した連絡先の項目"},
    ),
    A("areas.representation.applied", _("団体の代表者・担当者を申請")),
    A("areas.representation.approved", _("団体の代表者・担当者を承認"), STATUS),
    A("areas.representation.rejected", _("団体の代表者・担当者を却下"), STATUS),
    A("areas.representation.ended", _("団体の代表者・担当者を終了"), CHANGES),
    A(
        "areas.representation_applications.listed",
        _("代表者・担当者の申請一覧を表示"),
        {"applications": "表示した申請の数", "registrations": "表示した団体登録申請の数"},
    ),
    A("areas.representations.viewed", _("団体の代表者・担当者を閲覧"), {"rows": "表示した件数"}),
    # The karte: figures, issues, vision, goals, actions, offers.
    A("areas.karte_figures.created", _("地域カルテの統計値を登録"), CHANGES),
    A("areas.karte_figures.updated", _("地域カルテの統計値を変更"), CHANGES),
    A(
        "areas.karte_figures.imported",
        _("地域カルテの統計値を取込"),
        {"rows": "読んだ行数", "areas": "対象の地域の数"},
    ),
    A("areas.karte_issue.created", _("地域カルテの課題を登録")),
    A("areas.karte_issue.deleted", _("地域カルテの課題を削除")),
    A("areas.vision.created", _("地域の将来像を作成")),
    A("areas.vision.updated", _("地域の将来像を変更"), CHANGES),
    A("areas.goal.created", _("地域の目標を作成")),
    A("areas.goal.updated", _("地域の目標を変更"), CHANGES),
    A(
        "areas.goal.deleted",
        _("地域の目標を削除"),
        {
            "vision": "将来像の番号",
            "number": "目標の番号",
            "title": "目標の名前",
            "actions": "取組の数",
        },
    ),
    A(
        "areas.plan_action.created",
        _("地域の取組を作成"),
        {
            "meetings": "結び付けたミーティングの数",
            "requests": "支援依頼の数",
            "applications": "交付申請の数",
        },
    ),
    A(
        "areas.plan_action.updated",
        _("地域の取組を変更"),
        {
            "meetings": "結び付けたミーティングの数",
            "requests": "支援依頼の数",
            "applications": "交付申請の数",
            **CHANGES,
        },
    ),
    A(
        "areas.plan_action.deleted",
        _("地域の取組を削除"),
        {"goal": "目標の番号", "title": "取組の名前", "status": "削除時の状態"},
    ),
    A("areas.plan_action.in_progress", _("地域の取組を実施中にする"), STATUS),
    A("areas.plan_action.paused", _("地域の取組を休止する"), STATUS),
    A("areas.plan_action.done", _("地域の取組を完了にする"), STATUS),
    A("areas.offer.created", _("協力の申し出を登録")),
    A("areas.offer.updated", _("協力の申し出を変更"), CHANGES),
    A("areas.offer.deleted", _("協力の申し出を削除")),
    # News: posts, facilities, circulars, subscriptions and the digest.
    A("areas.post.created", _("記事を作成"), {"kind": "記事の種類", "images": "画像の数"}),
    A("areas.post.updated", _("記事を変更"), {"images_added": "追加した画像の数", **CHANGES}),
    A("areas.post.submitted", _("記事を確認に回す"), STATUS),
    A("areas.post.returned", _("記事を差し戻す"), STATUS),
    A("areas.post.published", _("記事を公開"), STATUS),
    A("areas.post.unpublished", _("記事の公開を停止"), STATUS),
    A("areas.facility.created", _("施設を登録")),
    A("areas.facility.updated", _("施設の情報を変更"), CHANGES),
    A(
        "areas.circular.created",
        _("回覧板を作成"),
        {
            "posts": "載せた記事の数",
            "meetings": "載せたミーティングの数",
            "households": "配布する世帯数",
        },
    ),
    A("areas.circular.viewed", _("回覧板を閲覧"), {"households": "配布する世帯数"}),
    A("areas.circular.printed", _("回覧板を印刷用に出力"), {"households": "配布する世帯数"}),
    A(
        "areas.subscription.created",
        _("お知らせメールの登録"),
        {"areas": "選んだ地域の数", "issues": "選んだ分野の数", "confirmed": "確認済みかどうか"},
    ),
    A("areas.subscription.confirmed", _("お知らせメールの登録を確認")),
    A(
        "areas.subscription.replaced",
        _("お知らせメールの登録を置き換え"),
        {"ended": "終了した登録の数"},
    ),
    A("areas.subscription.unsubscribed", _("お知らせメールの登録を解除")),
    A(
        "areas.digest.sent",
        _("お知らせメールを配信"),
        {"messages": "送ったメールの数", "items": "載せた記事の数"},
    ),
)

register_target_name("areas.area", "name")
register_target_name("areas.organisation", "name")
register_target_name("areas.facility", "name")
