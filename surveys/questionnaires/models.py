"""Questionnaires, surveys and their anonymous answers.

Anonymity is built into the tables: an answer (`Response`) and its rows hold
no reference to a resident, an invitation or a code, their ids are random
UUIDs (no sequence to match against the invitations' order), and their only
date is the day of the batch that added them. The only things copied from
the invitation at submission are the age band, sex and area needed for
analysis. A submitted answer waits sealed in `HeldAnswer` and joins the
answer tables in a shuffled batch of several (`holding`), never in the
transaction that marks its invitation answered. A half-finished answer lives
sealed in a `Draft` keyed by the invitation and is deleted when the answer is
submitted; a volunteer for area meetings is a separate record with the
letter's bands, never linked to the answer (docs/threat-model.md).
"""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from areas.models import Area, District, LocalIssue

__all__ = [
    "AGE_BANDS",
    "AnswerSex",
    "Draft",
    "HeldAnswer",
    "IssueAnswer",
    "Question",
    "QuestionAnswer",
    "Questionnaire",
    "Response",
    "Section",
    "Survey",
    "Volunteer",
    "VolunteerErasure",
]

AGE_BANDS = [f"{n}代" for n in range(10, 100, 10)]


class AnswerSex(models.TextChoices):
    MALE = "1", _("男")
    FEMALE = "2", _("女")
    OTHER = "3", _("その他")
    UNANSWERED = "", _("回答なし")


INTEREST_CHOICES = [
    (1, _("とても気になる")),
    (2, _("どちらかといえば気になる")),
    (3, _("あまり気にならない")),
    (4, _("気にならない")),
]
PARTICIPATION_CHOICES = [
    (1, _("現在取り組んでいる")),
    (2, _("今後取り組みたい")),
    (3, _("あまり取り組みたくない")),
    (4, _("わからない")),
]
EXPECTATION_CHOICES = [
    (1, _("期待する")),
    (2, _("どちらかといえば期待する")),
    (3, _("あまり期待しない")),
    (4, _("期待しない")),
]


class Questionnaire(models.Model):
    title = models.CharField(_("調査票名"), max_length=200)
    description = models.TextField(_("はじめの説明"), blank=True)
    is_standard = models.BooleanField(_("標準調査票"), default=False)
    # Set when the first answer arrives: from then on the questions cannot change.
    frozen_on = models.DateField(_("確定日"), null=True, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("調査票")
        verbose_name_plural = _("調査票")
        ordering = ["-is_standard", "-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:questionnaire", kwargs={"pk": self.pk})

    def audit_label(self):
        return f"調査票 #{self.pk}"

    @property
    def is_frozen(self):
        return self.frozen_on is not None


class Section(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("順番"), default=0)
    title = models.CharField(_("見出し"), max_length=200)
    description = models.TextField(_("説明"), blank=True)

    class Meta:
        verbose_name = _("調査票の区切り")
        verbose_name_plural = _("調査票の区切り")
        ordering = ["questionnaire", "order", "pk"]

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("単一選択")
        MULTIPLE = "multiple", _("複数選択")
        LIKERT = "likert", _("段階評価（リッカート尺度）")
        NUMBER = "number", _("数値")
        TEXT = "text", _("自由記述")
        ISSUE_MATRIX = "issue_matrix", _("地域課題マトリクス（関心・取組・期待）")

    class Profile(models.TextChoices):
        NONE = "", _("なし")
        AGE_BAND = "age_band", _("年齢区分")
        SEX = "sex", _("性別")
        AREA = "area", _("地域")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("順番"), default=0)
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("設問"), max_length=500)
    help_text = models.CharField(_("補足"), max_length=500, blank=True)
    required = models.BooleanField(_("回答必須"), default=False)
    # Answer options (single, multiple) or the scale's labels (Likert).
    choices = models.JSONField(_("選択肢"), default=list, blank=True)
    # The catalogue issues of an issue matrix, by number.
    issue_numbers = models.JSONField(_("地域課題の番号"), default=list, blank=True)
    # Age band, sex and area questions fill the answer's analysis bands.
    profile = models.CharField(
        _("集計項目"), max_length=20, choices=Profile.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("設問")
        verbose_name_plural = _("設問")
        ordering = ["section", "order", "pk"]

    def __str__(self):
        return self.text

    def issues(self):
        return list(LocalIssue.objects.filter(number__in=self.issue_numbers).order_by("number"))


code_validator = RegexValidator(
    r"^[A-Za-z0-9_-]+$", _("調査コードは半角英数字・ハイフン・アンダースコアで入力してください。")
)


class Survey(models.Model):
    """One survey: a questionnaire sent to a draw's residents, or the answers
    of an earlier survey imported from a file (for comparison)."""

    code = models.CharField(
        _("調査コード"), max_length=40, unique=True, validators=[code_validator]
    )
    title = models.CharField(_("調査名"), max_length=200)
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("調査票"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
    )
    draw = models.OneToOneField(
        "surveys.Draw",
        verbose_name=_("抽出"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey",
    )
    is_imported = models.BooleanField(_("取込による調査"), default=False)
    closes_on = models.DateField(_("回答の締切日"), null=True, blank=True)
    consent_version = models.CharField(_("同意文の版"), max_length=20, default="1")
    consent_text = models.TextField(_("地域の会議への参加についての同意文"), blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    # Goes up whenever answers are added: the analysis is cached under it.
    answers_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("調査")
        verbose_name_plural = _("調査")
        ordering = ["-fiscal_year", "-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:survey", kwargs={"code": self.code})

    def answers_changed(self):
        """Called by every service that adds answers, inside its transaction."""
        Survey.objects.filter(pk=self.pk).update(answers_version=models.F("answers_version") + 1)

    def audit_label(self):
        return f"調査 {self.code}"


class Response(models.Model):
    """One anonymous answer. No link to a resident, invitation or code."""

    class Source(models.TextChoices):
        ONLINE = "online", _("ウェブ")
        PAPER = "paper", _("紙（職員入力）")
        IMPORTED = "imported", _("ファイル取込")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # A web or paper answer: the day of the batch that added it (holding),
    # the same for every answer of the batch, not the day it arrived.
    answered_on = models.DateField(_("回答日"))
    age_band = models.CharField(_("年齢区分"), max_length=10, blank=True)
    sex = models.CharField(_("性別"), max_length=1, choices=AnswerSex.choices, blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("地域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(_("回答方法"), max_length=10, choices=Source.choices)
    # The data-entry contractor's 回答番号 of an imported answer (never a code).
    respondent_number = models.CharField(_("回答番号"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent_number"],
                condition=~models.Q(respondent_number=""),
                name="surveys_response_number_unique",
            )
        ]

    def __str__(self):
        return str(_("回答"))

    def audit_label(self):
        return "回答"


class IssueAnswer(models.Model):
    """One issue of the matrix in one answer. The survey is kept here too so
    that the analysis aggregates one table."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="issue_answers")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    issue = models.ForeignKey(LocalIssue, on_delete=models.PROTECT, related_name="+")
    interest = models.PositiveSmallIntegerField(_("関心"), null=True, blank=True)
    participation = models.PositiveSmallIntegerField(_("取組"), null=True, blank=True)
    expectation = models.PositiveSmallIntegerField(_("期待"), null=True, blank=True)

    class Meta:
        verbose_name = _("地域課題への回答")
        verbose_name_plural = _("地域課題への回答")
        indexes = [models.Index(fields=["survey", "issue"], name="surveys_issueans_survey")]
        constraints = [
            models.UniqueConstraint(fields=["response", "issue"], name="surveys_issueans_unique")
        ]

    def __str__(self):
        return str(_("地域課題への回答"))


class QuestionAnswer(models.Model):
    """The answer to one other question (choices, number or free text)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField(_("回答"))

    class Meta:
        verbose_name = _("設問への回答")
        verbose_name_plural = _("設問への回答")

    def __str__(self):
        return str(_("設問への回答"))


class Draft(models.Model):
    """An answer in progress, kept between visits. Keyed by the invitation,
    so its answers are sealed (`sealing`: a database reader sees neither
    them nor how much was written) and it is deleted at submission."""

    invitation = models.OneToOneField(
        "surveys.Invitation", on_delete=models.CASCADE, related_name="draft"
    )
    sealed = models.TextField(blank=True, editable=False)
    page = models.PositiveSmallIntegerField(default=0)
    updated_on = models.DateField(auto_now=True)

    class Meta:
        verbose_name = _("回答の途中保存")
        verbose_name_plural = _("回答の途中保存")

    def __str__(self):
        return str(_("回答の途中保存"))

    @property
    def data(self):
        """The answers so far ({} when there are none, or when the draft was
        sealed with a key this server no longer has)."""
        from .sealing import Unreadable, unseal

        if not self.sealed:
            return {}
        try:
            return unseal(self.sealed)
        except Unreadable:
            return {}


class HeldAnswer(models.Model):
    """An answer received and not yet in the answer tables (`holding`).

    No reference to the invitation, a random id, no time: only the survey
    and the answer sealed (`sealing`). Held answers join the answer tables
    in shuffled batches of several, one transaction a batch, so neither the
    order of the answer rows, their ids nor the transaction that wrote them
    tells which invitation an answer came from."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="held_answers")
    sealed = models.TextField(editable=False)

    class Meta:
        verbose_name = _("集計待ちの回答")
        verbose_name_plural = _("集計待ちの回答")

    def __str__(self):
        return str(_("集計待ちの回答"))


class Volunteer(models.Model):
    """A resident who wants to join area meetings. Never linked to the answer."""

    audit_personal_data = True
    audit_sensitive_fields = frozenset({"name", "contact"})

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="volunteers")
    area = models.ForeignKey(
        Area,
        verbose_name=_("地域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The district (町丁目) of the invitation's address, for the panel's quotas
    # by district; copied at submission so it outlives a purged register.
    district = models.ForeignKey(
        District,
        verbose_name=_("町丁目"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("お名前"), max_length=100)
    contact = models.CharField(_("連絡先（電話番号またはメールアドレス）"), max_length=200)
    age_band = models.CharField(_("年齢区分"), max_length=10, blank=True)
    sex = models.CharField(_("性別"), max_length=1, choices=AnswerSex.choices, blank=True)
    consent_version = models.CharField(_("同意文の版"), max_length=20)
    registered_on = models.DateField(_("登録日"))

    class Meta:
        verbose_name = _("会議参加希望者")
        verbose_name_plural = _("会議参加希望者")
        ordering = ["survey", "area", "pk"]

    def __str__(self):
        return str(_("参加希望者 #%(pk)s") % {"pk": self.pk})

    def audit_label(self):
        return f"参加希望者 #{self.pk}"


class VolunteerErasure(models.Model):
    """What is left when volunteer records are erased (by hand or by the purge
    policy): how many, never who. The funnel of the meeting series that
    counted them keeps them in its "applied" stage as a number."""

    class Reason(models.TextChoices):
        BY_HAND = "hand", _("職員による消去")
        POLICY = "policy", _("保存期間の経過による消去")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="volunteer_erasures")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    erased = models.PositiveIntegerField(_("消去した人数"))
    # Of them, those who had not registered for a meeting of the series they
    # counted for (the others stay in the funnel as registrants).
    unregistered = models.PositiveIntegerField(_("ミーティングに申し込んでいなかった人数"))
    reason = models.CharField(_("理由"), max_length=10, choices=Reason.choices)
    erased_at = models.DateTimeField(_("消去日時"))

    class Meta:
        verbose_name = _("参加希望者の消去")
        verbose_name_plural = _("参加希望者の消去")
        ordering = ["-erased_at", "-pk"]

    def __str__(self):
        return str(_("参加希望者の消去 #%(pk)s") % {"pk": self.pk})

    def audit_label(self):
        return f"参加希望者の消去 #{self.pk}"
