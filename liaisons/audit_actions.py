"""The audit codes of liaisons (read by the audit-log page)."""

from django.utils.translation import gettext_lazy as _

from portal.audit import ActionType as A
from portal.audit import register_actions

CHANGES = {"changes": "変更した項目ごとの旧・新の値（個人情報は伏せ字）"}
MOVE = {"changes": "status: 変更前と変更後の状態"}

register_actions(
    A(
        "liaisons.officer.created",
        _("地域担当職員を登録"),
        {"user": "利用者の番号", "experience": "経験の区分"},
    ),
    A("liaisons.officer.updated", _("地域担当職員の情報を変更"), CHANGES),
    A("liaisons.officers.listed", _("地域担当職員の一覧を表示"), {"rows": "表示した件数"}),
    A(
        "liaisons.assignment.created",
        _("地域の担当を割り当て"),
        {"area": "地域のコード", "kind": "主担当・副担当", "valid_from": "担当の開始日"},
    ),
    A("liaisons.assignment.ended", _("地域の担当を終了"), CHANGES),
    A("liaisons.settings.updated", _("支援依頼の設定を変更"), CHANGES),
    # Support requests.
    A(
        "liaisons.request.created",
        _("支援依頼を受付"),
        {
            "tier": "支援の種類",
            "area": "地域のコード",
            "organisation": "団体の番号",
            "on_behalf": "職員が代理で入力したかどうか",
            "attachments": "添付ファイルの数",
        },
    ),
    A(
        "liaisons.request.viewed",
        _("支援依頼を閲覧"),
        {"shown": "表示した連絡先の項目", "attachments": "添付ファイルの数"},
    ),
    A(
        "liaisons.requests.listed",
        _("支援依頼の一覧を表示"),
        {"filters": "絞り込みの条件", "rows": "表示した件数"},
    ),
    A("liaisons.request.triaged", _("支援依頼を確認"), MOVE),
    A("liaisons.request.assigned", _("支援依頼の担当を決定"), MOVE),
    A("liaisons.request.in_progress", _("支援依頼を対応中にする"), MOVE),
    A("liaisons.request.done", _("支援依頼を完了にする"), MOVE),
    A("liaisons.request.declined", _("支援依頼をお断り"), MOVE),
    A("liaisons.request.referred", _("支援依頼を他部署へ引継ぎ"), MOVE),
    A("liaisons.request.rated", _("支援依頼の満足度を記録"), CHANGES),
    A(
        "liaisons.attachment.created",
        _("支援依頼の添付ファイルを登録"),
        {"content_type": "ファイルの種類", "size": "大きさ（バイト）"},
    ),
    A(
        "liaisons.attachment.downloaded",
        _("支援依頼の添付ファイルをダウンロード"),
        {"request": "支援依頼の番号", "content_type": "ファイルの種類"},
    ),
    # Consultations and reports.
    A(
        "liaisons.consultation.created",
        _("相談を記録"),
        {"area": "地域のコード", "channel": "相談の方法", "outcome": "結果"},
    ),
    A("liaisons.consultation.updated", _("相談の記録を変更"), CHANGES),
    A("liaisons.consultation.viewed", _("相談の記録を閲覧")),
    A("liaisons.consultations.listed", _("相談の一覧を表示"), {"rows": "表示した件数"}),
    A(
        "liaisons.consultations.exported",
        _("相談の一覧を出力"),
        {"rows": "出力した件数", "format": "形式", "encoding": "文字コード"},
    ),
    A("liaisons.report.viewed", _("対応状況の報告を閲覧"), {"year": "年度（西暦）"}),
    A(
        "liaisons.report.exported",
        _("対応状況の報告を出力"),
        {"year": "年度（西暦）", "table": "表の種類", "format": "形式", "rows": "出力した行数"},
    ),
)
