"""The audit codes the foundation records: accounts, roles, jobs, the log
itself, and the admin site's `admin.<app>.<model>.<verb>` family."""

from django.apps import apps
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .audit import ActionType as A
from .audit import register_action_family, register_actions, register_target_name
from .models import Role

CHANGES = {"changes": "変更した項目ごとの旧・新の値（個人情報は伏せ字）"}

register_actions(
    A("portal.profile.updated", _("本人が自分の登録情報を変更"), CHANGES),
    A(
        "portal.user.roles_changed",
        _("利用者の役割を変更"),
        {"changes": "roles: 変更前と変更後の役割の一覧"},
        fields={"roles": (_("役割"), Role.choices)},
    ),
    A("portal.user.viewed", _("利用者の情報を閲覧")),
    A(
        "portal.users.listed",
        _("利用者の一覧を表示"),
        {"search": "検索語の有無", "role": "絞り込んだ役割", "page": "ページ番号"},
    ),
    A(
        "portal.job.created",
        _("処理（取込・出力）を開始"),
        {"kind": "処理の種類", "file": "ファイル名"},
    ),
    A(
        "portal.auditlogentry.viewed",
        _("監査ログを閲覧"),
        {"filters": "絞り込みの条件", "page": "ページ番号"},
    ),
    A(
        "portal.auditlogentry.exported",
        _("監査ログを出力"),
        {"filters": "絞り込みの条件", "rows": "出力した件数", "encoding": "文字コード"},
    ),
)

# The staff dashboard and logic model (a sub-package of portal for now).
TARGET = {"fiscal_year": "年度（西暦）", "area": "地域のコード", **CHANGES}
register_actions(
    A("portal.indicator.created", _("成果指標を作成")),
    A("portal.indicator.updated", _("成果指標を変更"), CHANGES),
    A(
        "portal.indicator_year.updated",
        _("成果指標の年度の値を変更"),
        {"fiscal_year": "年度（西暦）", **CHANGES},
    ),
    A("portal.area_indicator_target.created", _("地域別の目標値を設定"), TARGET),
    A("portal.area_indicator_target.updated", _("地域別の目標値を変更"), TARGET),
    A("portal.area_indicator_target.deleted", _("地域別の目標値を削除"), TARGET),
    A(
        "portal.logic_model.exported",
        _("ロジックモデルを出力"),
        {
            "fiscal_year": "年度（西暦）",
            "rows": "出力した行数",
            "format": "形式",
            "area": "地域のコード",
        },
    ),
)

# The admin site (portal/admin.py, AuditedAdminMixin): one code per model and verb.
ADMIN_VERBS = {
    "listed": (
        pgettext_lazy("admin site action", "一覧表示"),
        {"search": "検索語の有無", "filters": "使った絞り込みの名前"},
    ),
    "searched": (
        pgettext_lazy("admin site action", "検索"),
        {"autocomplete": "入力補完からの検索"},
    ),
    "viewed": (pgettext_lazy("admin site action", "閲覧"), {}),
    "created": (pgettext_lazy("admin site action", "作成"), CHANGES),
    "updated": (pgettext_lazy("admin site action", "変更"), CHANGES),
    "deleted": (pgettext_lazy("admin site action", "削除"), {}),
    "password_set": (pgettext_lazy("admin site action", "パスワード設定"), {}),
}
_admin_types = {}


def _admin_action(code):
    """`admin.<app>.<model>.<verb>` for a model that exists and a known verb."""
    if code in _admin_types:
        return _admin_types[code]
    parts = code.split(".")
    if len(parts) != 4 or parts[3] not in ADMIN_VERBS:
        return None
    try:
        model = apps.get_model(parts[1], parts[2])
    except LookupError:
        return None
    verb, data = ADMIN_VERBS[parts[3]]
    found = A(
        code,
        format_lazy(_("管理サイト: {model}の{verb}"), model=model._meta.verbose_name, verb=verb),
        data,
    )
    _admin_types[code] = found
    return found


register_action_family("admin.", _admin_action)

# Names the log page may show for a target (read when the page is shown).
register_target_name("portal.user", "full_name", "email")
