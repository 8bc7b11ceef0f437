"""The audit codes of meetings (read by the audit-log page)."""

from django.utils.translation import gettext_lazy as _

from portal.audit import ActionType as A
from portal.audit import register_actions, register_target_name

CHANGES = {"changes": "変更した項目ごとの旧・新の値（個人情報は伏せ字）"}
MOVE = {"changes": "status: 変更前と変更後の状態"}

register_actions(
    A("meetings.series.created", _("ミーティングシリーズを作成")),
    A("meetings.series.figures_updated", _("ミーティングシリーズの紙の集計値を変更"), CHANGES),
    A(
        "meetings.meeting.created",
        _("ミーティングを作成"),
        {"area": "地域のコード", "kind": "開催の種類", "capacity": "定員"},
    ),
    A("meetings.meeting.updated", _("ミーティングを変更"), CHANGES),
    A("meetings.meeting.capacity_changed", _("ミーティングの定員を変更"), CHANGES),
    A("meetings.meeting.open", _("ミーティングの申込みを受付中にする"), MOVE),
    A("meetings.meeting.closed", _("ミーティングの申込みを締め切る"), MOVE),
    A("meetings.meeting.held", _("ミーティングを開催済みにする"), MOVE),
    A("meetings.meeting.cancelled", _("ミーティングを中止"), MOVE),
    A("meetings.minutes.updated", _("議事録を変更"), {"length": "議事録の文字数"}),
    A("meetings.idea.created", _("意見を記録"), {"meeting": "ミーティングの番号", "issue": "分野"}),
    A(
        "meetings.idea.pushed_to_karte",
        _("意見を地域カルテに送る"),
        {"meeting": "ミーティングの番号", "issue": "分野"},
    ),
    A(
        "meetings.feedback.created",
        _("参加者アンケートを記録"),
        {"meeting": "ミーティングの番号", "support_wanted": "支援を望むかどうか"},
    ),
    # Registrations.
    A(
        "meetings.registration.registered",
        _("ミーティングに申込み"),
        {
            "meeting": "ミーティングの番号",
            "status": "申込みの状態（参加・キャンセル待ち）",
            "party_size": "人数",
            "source": "申込みの経路",
            "childcare": "保育の希望",
        },
    ),
    A(
        "meetings.registration.promoted",
        _("キャンセル待ちから繰り上げ"),
        {"meeting": "ミーティングの番号", "party_size": "人数", **CHANGES},
    ),
    A(
        "meetings.registration.cancelled",
        _("ミーティングの申込みを取消し"),
        {"meeting": "ミーティングの番号", "party_size": "人数", **CHANGES},
    ),
    A(
        "meetings.registration.checked_in",
        _("出席を記録"),
        {"meeting": "ミーティングの番号", **CHANGES},
    ),
    A(
        "meetings.registration.check_in_undone",
        _("出席の記録を取消し"),
        {"meeting": "ミーティングの番号", **CHANGES},
    ),
    A(
        "meetings.applicant.registered",
        _("シリーズへの参加申込み"),
        {
            "series": "シリーズの番号",
            "meeting": "ミーティングの番号",
            "status": "申込みの状態",
            "volunteered": "運営の手伝いを申し出たか",
        },
    ),
    A("meetings.participants.viewed", _("参加者名簿を閲覧"), {"rows": "表示した件数"}),
    A(
        "meetings.participants.searched",
        _("参加者名簿を検索"),
        {"rows": "見つかった件数", "query_length": "検索語の文字数"},
    ),
    A(
        "meetings.participants.exported",
        _("参加者名簿を出力"),
        {"rows": "出力した件数", "format": "形式"},
    ),
    A(
        "meetings.applicants.viewed",
        _("シリーズの申込者を閲覧"),
        {"rows": "表示した件数", "volunteers": "手伝いの申し出の数"},
    ),
    A(
        "meetings.applicants.exported",
        _("シリーズの申込者を出力"),
        {"rows": "出力した件数", "format": "形式"},
    ),
)

register_target_name("meetings.meeting", "title")
register_target_name("meetings.meetingseries", "title")
