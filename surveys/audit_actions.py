"""The audit codes of surveys, questionnaires and panels (read by the audit-log page)."""

from django.utils.translation import gettext_lazy as _

from portal.audit import ActionType as A
from portal.audit import register_actions, register_target_name

CHANGES = {"changes": "変更した項目ごとの旧・新の値（個人情報は伏せ字）"}

register_actions(
    # The resident register and draws.
    A(
        "surveys.register.imported",
        _("住民名簿を取込"),
        {
            "rows": "取り込んだ行数",
            "needs_review": "確認が必要な行数",
            "replaced_rows": "置き換えた行数",
            "reference_date": "名簿の基準日",
            "encoding": "文字コード",
        },
    ),
    A(
        "surveys.register.viewed",
        _("住民名簿を閲覧"),
        {"shown": "表示した項目", "rows_shown": "表示した件数"},
    ),
    A(
        "surveys.register.purged",
        _("住民名簿を消去"),
        {
            "rows": "消去した行数",
            "invitations_unlinked": "名簿との結び付きを外した案内の数",
            "reason": "消去の理由",
        },
    ),
    A(
        "surveys.draw.created",
        _("無作為抽出を実施"),
        {
            "register": "名簿の番号",
            "method": "抽出方法",
            "size": "抽出数",
            "seed": "乱数の種",
            "as_of": "年齢の基準日",
            "age_min": "年齢の下限",
            "age_max": "年齢の上限",
            "areas": "対象の地域",
            "sexes": "対象の性別",
            "exclude_recent": "最近選ばれた人を除いたか",
            "population": "母集団の人数",
        },
    ),
    A("surveys.draw.viewed", _("抽出結果を閲覧"), {"rows_shown": "表示した件数"}),
    A("surveys.letters.printed", _("案内状を作成"), {"letters": "案内状の通数"}),
    A("surveys.letters.downloaded", _("案内状をダウンロード"), {"letters": "案内状の通数"}),
    A(
        "surveys.mailing_list.exported",
        _("宛名一覧を出力"),
        {"rows": "出力した件数", "encoding": "文字コード"},
    ),
    # Questionnaires and answers.
    A("surveys.survey.created", _("アンケートを作成")),
    A(
        "surveys.questionnaire.created",
        _("調査票を作成"),
        {"copied_from": "写しの元の調査票の番号"},
    ),
    A(
        "surveys.questionnaire.changed",
        _("調査票を変更"),
        {
            "added": "追加した設問・選択肢",
            "kind": "設問の種類",
            "deleted": "削除した設問",
            **CHANGES,
        },
    ),
    A("surveys.invitation.answered", _("アンケートに回答"), {"source": "回答の経路（ウェブ・紙）"}),
    A(
        "surveys.answer.received",
        _("回答を受付（集計待ち）"),
        {"source": "回答の経路（ウェブ・紙）。日付のみ記録し、案内・住所・ブラウザは記録しない"},
    ),
    A(
        "surveys.answers.released",
        _("集計待ちの回答を集計に追加"),
        {
            "released": "集計に加えた回答の数",
            "held": "引き続き集計待ちの回答の数",
            "closed": "締切後の最後の一括か",
        },
    ),
    A(
        "surveys.access_code.limited",
        _("アクセスコードの試行回数が上限に到達"),
        {"limit": "上限に達した単位（接続元・アカウント、またはコード）"},
    ),
    A(
        "surveys.answers.imported",
        _("紙の回答を取込"),
        {"rows": "取り込んだ行数", "created_survey": "アンケートを新しく作ったか"},
    ),
    A("surveys.analysis.viewed", _("集計結果を閲覧"), {"compare": "比べたアンケート"}),
    A("surveys.analysis.exported", _("集計結果を出力"), {"format": "形式"}),
    A(
        "surveys.crosstab.viewed",
        _("クロス集計を閲覧"),
        {"dimension": "集計の軸", "measure": "集計する値"},
    ),
    A("surveys.free_text.viewed", _("自由記述を閲覧"), {"rows_shown": "表示した件数"}),
    # Volunteers.
    A("surveys.volunteer.registered", _("協力者として登録")),
    A("surveys.volunteers.viewed", _("協力者の一覧を閲覧"), {"rows_shown": "表示した件数"}),
    A(
        "surveys.volunteers.erased",
        _("協力者の情報を消去"),
        {"erased": "消去した件数", "reason": "消去の理由", "areas": "対象の地域"},
    ),
    # Panels (sortition).
    A(
        "surveys.panel.selected",
        _("パネルを選出（ファイル）"),
        {
            "algorithm": "選出の方法",
            "seed": "乱数の種",
            "size": "選出数",
            "pool": "候補者の数",
            "solver": "使った計算器",
            "features_sha256": "属性ファイルのハッシュ値",
            "people_sha256": "候補者ファイルのハッシュ値",
            "quotas_met": "割当てを満たしたか",
        },
    ),
    A(
        "surveys.panel_selection.created",
        _("パネル選出を作成"),
        {
            "source": "候補者の出どころ",
            "pool": "候補者の数",
            "features": "属性の数",
            "contact_columns": "連絡先の列",
            "size": "選出数",
            "reserves": "補欠の数",
            "algorithm": "選出の方法",
            "seed": "乱数の種",
        },
    ),
    A("surveys.panel_selection.quotas_set", _("パネルの割当てを設定"), CHANGES),
    A(
        "surveys.panel_selection.infeasible",
        _("パネルの割当てを満たせない"),
        {"quotas": "満たせなかった割当て"},
    ),
    A(
        "surveys.panel_selection.selected",
        _("パネルを選出"),
        {
            "algorithm": "選出の方法",
            "seed": "乱数の種",
            "size": "選出数",
            "reserves": "補欠の数",
            "pool": "候補者の数",
            "solver": "使った計算器",
            "lowest_probability": "最も低い選出確率",
            "quotas_met": "割当てを満たしたか",
        },
    ),
    A(
        "surveys.panel_selection.verified",
        _("パネル選出を検証"),
        {
            "verification": "検証の結果",
            "same_panel": "同じパネルが得られたか",
            "same_reserves": "同じ補欠が得られたか",
            "solver": "検証に使った計算器",
            "stored_solver": "選出時の計算器",
            "process": "検証の方法",
        },
    ),
    A(
        "surveys.panel_selection.viewed",
        _("パネル選出を閲覧"),
        {"pool": "候補者の数", "panel": "選ばれた人数"},
    ),
    A("surveys.panel_selection.exported", _("パネル選出を出力"), {"file": "ファイルの種類"}),
    A(
        "surveys.panel_contacts.viewed",
        _("パネルの連絡先を閲覧"),
        {"panel": "選ばれた人数", "reserves": "補欠の数", "columns": "表示した列"},
    ),
)

register_target_name("surveys.draw", "title")
register_target_name("surveys.survey", "title")
