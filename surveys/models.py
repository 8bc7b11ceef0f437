"""The resident register (住民基本台帳 extract), draws from it and invitations.

Register rows are personal data: they are read only by the staff who run the
survey, every read is audited, and they are purged once the survey is over.
A draw keeps what analysis needs (the stratum of each invitation) so that
purging the register does not break the survey.
"""

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from areas.models import Area, District
from portal.dates import to_wareki_with_seireki
from portal.models import private_storage


class LegalBasis(models.Model):
    """Why the register may be used: the purpose and the legal basis
    (typically the personal-information review board's approval)."""

    purpose = models.TextField(_("利用目的"))
    legal_basis = models.CharField(_("法的根拠"), max_length=300)
    approval_body = models.CharField(_("承認機関"), max_length=200, blank=True)
    approval_number = models.CharField(_("承認番号"), max_length=100, blank=True)
    approval_date = models.DateField(_("承認日"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def legal_basis_text(self):
        parts = [self.legal_basis]
        approval = " ".join(
            p
            for p in (
                self.approval_body,
                self.approval_number,
                to_wareki_with_seireki(self.approval_date) if self.approval_date else "",
            )
            if p
        )
        if approval:
            parts.append(f"（{approval}）")
        return "".join(parts)

    def legal_basis_audit(self):
        """Purpose and legal basis as audit data (no personal data in them)."""
        return {
            "purpose": self.purpose[:500],
            "legal_basis": self.legal_basis,
            "approval_body": self.approval_body,
            "approval_number": self.approval_number,
            "approval_date": self.approval_date.isoformat() if self.approval_date else "",
        }


class Register(LegalBasis):
    """One extract of the resident register, by reference date (基準日)."""

    reference_date = models.DateField(_("基準日"), unique=True)
    row_count = models.PositiveIntegerField(_("人数"), default=0)
    review_count = models.PositiveIntegerField(_("要確認の人数"), default=0)
    source_encoding = models.CharField(_("文字コード"), max_length=20, blank=True)
    imported_at = models.DateTimeField(_("取込日時"), null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    purged_at = models.DateTimeField(_("消去日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("住民基本台帳")
        verbose_name_plural = _("住民基本台帳")
        ordering = ["-reference_date"]

    def __str__(self):
        return str(_("住民基本台帳（基準日 %(date)s）") % {"date": self.reference_date.isoformat()})

    def get_absolute_url(self):
        return reverse("surveys:register", kwargs={"pk": self.pk})

    def audit_label(self):
        return f"住民基本台帳 {self.reference_date.isoformat()}"

    @property
    def is_purged(self):
        return self.purged_at is not None


class Sex(models.TextChoices):
    MALE = "1", _("男")
    FEMALE = "2", _("女")
    UNRECORDED = "", _("記録なし")


class Resident(models.Model):
    audit_personal_data = True
    audit_sensitive_fields = frozenset(
        {"resident_number", "name", "name_kana", "birth_date", "postal_code", "address"}
    )

    # No index and no database-level constraint of their own: the unique
    # (register, 住民番号) index serves the register's lookups, the importer
    # checks every district code before writing, and Django enforces CASCADE
    # and PROTECT. A million rows then load without a million deferred
    # foreign-key checks at commit.
    register = models.ForeignKey(
        Register,
        on_delete=models.CASCADE,
        related_name="residents",
        db_index=False,
        db_constraint=False,
    )
    line = models.PositiveIntegerField(_("行"))
    resident_number = models.CharField(_("住民番号"), max_length=30)
    name = models.CharField(_("氏名"), max_length=200)
    name_kana = models.CharField(_("氏名カナ"), max_length=200, blank=True)
    birth_date = models.DateField(_("生年月日"))
    sex = models.CharField(_("性別"), max_length=1, choices=Sex.choices, blank=True)
    postal_code = models.CharField(_("郵便番号"), max_length=8)
    address = models.CharField(_("住所"), max_length=300)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    household_number = models.CharField(_("世帯番号"), max_length=30, blank=True)
    # A private-use (外字) character: the row is kept but a person checks the glyph.
    needs_review = models.BooleanField(_("要確認"), default=False)

    class Meta:
        verbose_name = _("住民")
        verbose_name_plural = _("住民")
        constraints = [
            models.UniqueConstraint(
                fields=["register", "resident_number"], name="surveys_resident_unique_number"
            )
        ]

    def __str__(self):
        return str(_("住民 #%(pk)s") % {"pk": self.pk})

    def audit_label(self):
        return f"住民 #{self.pk}"


class Draw(LegalBasis):
    """A random draw from a register: inputs, seed, and the strata it produced."""

    class Method(models.TextChoices):
        SIMPLE = "simple", _("単純無作為抽出")
        STRATIFIED = "stratified", _("層化比例抽出（地域×年代×性別）")

    title = models.CharField(_("調査名"), max_length=200)
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="draws")
    reference_date = models.DateField(_("基準日"))
    as_of = models.DateField(_("年齢の基準日"))
    method = models.CharField(_("抽出方法"), max_length=20, choices=Method.choices)
    size = models.PositiveIntegerField(_("抽出数"))
    age_min = models.PositiveSmallIntegerField(_("年齢（下限）"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("年齢（上限）"), null=True, blank=True)
    area_codes = models.JSONField(_("対象地域"), default=list, blank=True)
    sexes = models.JSONField(_("対象の性別"), default=list, blank=True)
    exclude_recent = models.PositiveSmallIntegerField(
        _("直近の調査で抽出された人を除く（件数）"), default=0
    )
    seed = models.CharField(_("乱数シード"), max_length=100)
    population = models.PositiveIntegerField(_("母集団"), default=0)
    strata = models.JSONField(_("層"), default=list, blank=True)
    answer_deadline = models.DateField(_("回答期限"), null=True, blank=True)
    closes_on = models.DateField(_("調査終了日"), null=True, blank=True)
    letters = models.FileField(_("案内状PDF"), storage=private_storage, blank=True)
    letters_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("抽出日時"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("抽出")
        verbose_name_plural = _("抽出")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:draw", kwargs={"pk": self.pk})

    def audit_label(self):
        return f"抽出 #{self.pk}"


def code_digest(code):
    """The keyed hash an access code is found by. Without the server's secret
    key a database reader cannot test guesses against it."""
    key = hashlib.sha256(("surveys.access-code:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


class Invitation(models.Model):
    """One drawn resident's invitation. The access code itself is stored only
    encrypted (to print the letter again) and as a keyed hash (to find it)."""

    audit_personal_data = True
    audit_sensitive_fields = frozenset({"code_digest", "code_encrypted"})

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="invitations")
    number = models.PositiveIntegerField(_("整理番号"))
    # Gone when the register is purged; the stratum below stays for analysis.
    resident = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    age_band = models.CharField(_("年齢区分"), max_length=20)
    sex = models.CharField(_("性別"), max_length=1, choices=Sex.choices, blank=True)
    code_digest = models.CharField(max_length=64, unique=True)
    code_encrypted = models.TextField(blank=True)
    answered_at = models.DateTimeField(_("回答日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("案内")
        verbose_name_plural = _("案内")
        ordering = ["draw", "number"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "number"], name="surveys_invitation_number")
        ]

    def __str__(self):
        return str(_("案内 #%(pk)s") % {"pk": self.pk})

    def audit_label(self):
        return f"案内 #{self.pk}"


from surveys.panels.models import PanelSelection, PanelVerification  # noqa: E402, F401

from .questionnaires.models import *  # noqa: E402,F401,F403
