"""A panel selection: its inputs (pool, quotas, size, algorithm, seed), its
result, and each later re-run that verified it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from areas.models import Area


class PanelSelection(models.Model):
    """Everything needed to run the selection again and get the same panel.

    The pool is stored as the people file's rows (normalised: the columns the
    file had, cells trimmed), so the exports have the file's own columns; the
    contact columns among them are shown to coordinators only.
    """

    audit_personal_data = True
    audit_sensitive_fields = frozenset({"rows"})

    class Source(models.TextChoices):
        FILES = "files", _("ファイル（Sortition Foundation 形式）")
        VOLUNTEERS = "volunteers", _("地域のボランティア")

    class Algorithm(models.TextChoices):
        LEXIMIN = "leximin", _("LEXIMIN（最も選ばれにくい人の確率を順に最大化）")
        MAXIMIN = "maximin", _("maximin（最低の確率だけを最大化）")

    class Status(models.TextChoices):
        DRAFT = "draft", _("割当の設定中")
        QUEUED = "queued", _("選出中")
        DONE = "done", _("選出済み")
        INFEASIBLE = "infeasible", _("割当を満たせません")

    title = models.CharField(_("件名"), max_length=200)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("候補者"), max_length=20, choices=Source.choices)
    source_name = models.CharField(_("候補者ファイル"), max_length=255, blank=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # The pool: the people file's header and rows, the id column and the
    # columns used as features; contact columns are found by name.
    columns = models.JSONField(default=list)
    rows = models.JSONField(default=list)
    id_column = models.CharField(max_length=200)
    features = models.JSONField(default=list)
    contact_columns = models.JSONField(default=list, blank=True)
    # [{feature, value, min, max, target, population, pool}]
    quotas = models.JSONField(default=list)
    margin = models.PositiveSmallIntegerField(_("許容幅（±人）"), default=1)
    population_note = models.CharField(max_length=300, blank=True)
    size = models.PositiveIntegerField(_("パネルの人数"))
    reserves = models.PositiveIntegerField(_("補欠の人数"), default=0)
    algorithm = models.CharField(
        _("方式"), max_length=20, choices=Algorithm.choices, default=Algorithm.LEXIMIN
    )
    seed = models.BigIntegerField(_("乱数シード"))
    # The result
    panel = models.JSONField(default=list, blank=True)
    reserve_ids = models.JSONField(default=list, blank=True)
    remaining = models.JSONField(default=list, blank=True)
    probabilities = models.JSONField(default=dict, blank=True)
    quotas_met = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)
    solver_version = models.CharField(_("ソルバー"), max_length=100, blank=True)
    lowest_probability = models.FloatField(_("最低選出確率"), null=True, blank=True)
    panels_considered = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    job_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    selected_at = models.DateTimeField(_("選出日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("パネル選出")
        verbose_name_plural = _("パネル選出")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:panel", kwargs={"pk": self.pk})

    def audit_label(self):
        return f"パネル選出 #{self.pk}"

    @property
    def pool_size(self):
        return len(self.rows)

    def id_index(self):
        return self.columns.index(self.id_column)

    def records(self):
        """(id, {feature: value}) of every person, as `select` takes them."""
        index = {name: self.columns.index(name) for name in self.features}
        id_at = self.id_index()
        return [(row[id_at], {f: row[i] for f, i in index.items()}) for row in self.rows]

    def quota_inputs(self):
        return [
            {"feature": q["feature"], "value": q["value"], "min": q["min"], "max": q["max"]}
            for q in self.quotas
        ]


class PanelVerification(models.Model):
    """One re-run of a selection from its stored inputs, and whether the
    same panel and reserves came out."""

    selection = models.ForeignKey(
        PanelSelection, on_delete=models.CASCADE, related_name="verifications"
    )
    same_panel = models.BooleanField(_("同じパネル"))
    same_reserves = models.BooleanField(_("同じ補欠"))
    panel = models.JSONField(default=list)
    solver_version = models.CharField(_("ソルバー"), max_length=100)
    process = models.CharField(_("実行したプロセス"), max_length=200)
    seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(_("検証日時"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("パネル選出の検証")
        verbose_name_plural = _("パネル選出の検証")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return str(_("検証 #%(pk)s") % {"pk": self.pk})

    def audit_label(self):
        return f"パネル選出の検証 #{self.pk}"
