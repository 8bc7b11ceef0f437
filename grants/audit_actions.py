"""The audit codes of grants (read by the audit-log page)."""

from django.utils.translation import gettext_lazy as _

from portal.audit import ActionType as A
from portal.audit import register_actions, register_target_name

CHANGES = {"changes": "変更した項目ごとの旧・新の値（個人情報は伏せ字）"}
STATUS = {"changes": "status: 変更前と変更後の状態"}

register_actions(
    # Programmes and the allocation over areas.
    A(
        "grants.programme.created",
        _("交付金事業を作成"),
        {"kind": "事業の種類", "fiscal_year": "年度（西暦）", "budget": "予算額（円）"},
    ),
    A("grants.programme.updated", _("交付金事業を変更"), CHANGES),
    A("grants.allocation.weights_changed", _("地域配分の算定割合を変更"), CHANGES),
    A(
        "grants.allocation.inputs_changed",
        _("地域配分の人口・世帯数を変更"),
        {"areas": "対象の地域の数"},
    ),
    A("grants.allocation.imported", _("地域配分の人口・世帯数を取込"), {"areas": "対象の地域の数"}),
    A(
        "grants.allocation.filled_from_register",
        _("地域配分の人口・世帯数を住民名簿から設定"),
        {"areas": "対象の地域の数"},
    ),
    A(
        "grants.allocation.approved",
        _("地域配分を確定"),
        {"areas": "対象の地域の数", "budget": "配分した予算額（円）"},
    ),
    A(
        "grants.allocation.exported",
        _("地域配分を出力"),
        {"format": "形式", "rows": "出力した行数"},
    ),
    # Applications and their workflow.
    A("grants.application.created", _("交付申請を作成"), {"programme": "交付金事業の番号"}),
    A("grants.application.updated", _("交付申請を変更"), {"budget_lines": "予算の行数", **CHANGES}),
    A("grants.application.viewed", _("交付申請を閲覧"), {"as": "審査員として見たとき reviewer"}),
    A(
        "grants.applications.listed",
        _("交付申請の一覧を表示"),
        {"rows": "表示した件数", "scope": "一覧の範囲"},
    ),
    A("grants.application.submitted", _("交付申請を提出"), STATUS),
    A("grants.application.in_review", _("交付申請を審査に回す"), STATUS),
    A("grants.application.approved", _("交付を決定"), STATUS),
    A("grants.application.rejected", _("交付申請を不採択"), STATUS),
    A("grants.application.reporting", _("交付申請を実績報告中にする"), STATUS),
    A("grants.application.closed", _("交付申請を完了にする"), STATUS),
    A(
        "grants.attachment.created",
        _("添付書類を登録"),
        {"size": "大きさ（バイト）", "content_type": "ファイルの種類"},
    ),
    A("grants.attachment.deleted", _("添付書類を削除")),
    A("grants.attachment.downloaded", _("添付書類をダウンロード"), {"size": "大きさ（バイト）"}),
    A("grants.payment.created", _("支払を記録"), {"amount": "金額（円）"}),
    # Review.
    A("grants.review.assigned", _("審査員を割り当て")),
    A("grants.review.unassigned", _("審査員の割当てを外す")),
    A(
        "grants.review.conflict_declared",
        _("審査員が利害関係を申告"),
        {"conflict": "利害関係の有無"},
    ),
    A("grants.review.scored", _("審査の評点を記録"), {"criteria": "評点を付けた評価項目の数"}),
    A("grants.ranking.viewed", _("審査の順位を閲覧"), {"rows": "表示した件数"}),
    # Reports and exports.
    A("grants.report.updated", _("実績報告を変更")),
    A("grants.report.submitted", _("実績報告を提出")),
    A("grants.report.accepted", _("実績報告を受理")),
    A("grants.report.returned", _("実績報告を差し戻す")),
    A("grants.grant_report.exported", _("交付申請の報告書を出力")),
    A(
        "grants.grant_reports.exported",
        _("報告書を一括出力"),
        {
            "applications": "対象の交付申請の数",
            "failed": "出力できなかった数",
            "resumed": "再開した出力かどうか",
        },
    ),
    A(
        "grants.grant_reports.downloaded",
        _("一括出力した報告書をダウンロード"),
        {"applications": "対象の交付申請の数"},
    ),
    A(
        "grants.programme_summary.exported",
        _("交付金事業の集計を出力"),
        {"applications": "対象の交付申請の数"},
    ),
    A(
        "grants.table.exported",
        _("交付金事業の表を出力"),
        {"table": "表の種類", "format": "形式", "encoding": "文字コード", "rows": "出力した行数"},
    ),
)

register_target_name("grants.programme", "name")
register_target_name("grants.application", "title")
