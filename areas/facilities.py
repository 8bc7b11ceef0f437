"""Public facilities of an area (集会所, 公園, 避難所 …): the 公共施設一覧 open
dataset and, later, the area karte's "facilities and resources".

Imported into `areas.models`, so the table belongs to the areas app.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Facility(models.Model):
    class Kind(models.TextChoices):
        MEETING_PLACE = "meeting_place", _("集会所・会館")
        COMMUNITY_CENTRE = "community_centre", _("公民館・コミュニティセンター")
        PARK = "park", _("公園")
        SHELTER = "shelter", _("避難所")
        SCHOOL = "school", _("学校")
        LIBRARY = "library", _("図書館")
        WELFARE = "welfare", _("福祉施設")
        OTHER = "other", _("その他")

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("地域"), on_delete=models.PROTECT, related_name="facilities"
    )
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices, db_index=True)
    name = models.CharField(_("名称"), max_length=200)
    name_kana = models.CharField(_("名称（カナ）"), max_length=200, blank=True)
    common_name = models.CharField(_("通称"), max_length=200, blank=True)
    poi_code = models.CharField(_("POIコード"), max_length=20, blank=True)
    address = models.CharField(_("住所"), max_length=300)
    address_detail = models.CharField(_("方書"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("緯度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("経度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    extension = models.CharField(_("内線番号"), max_length=10, blank=True)
    corporate_number = models.CharField(
        _("法人番号"),
        max_length=13,
        blank=True,
        validators=[RegexValidator(r"^\d{13}$", _("法人番号は13桁の数字です。"))],
    )
    operator = models.CharField(_("団体名（管理者）"), max_length=200, blank=True)
    open_days = models.CharField(
        _("利用可能曜日"), max_length=100, blank=True, help_text=_("例：月火水木金土")
    )
    opens_at = models.TimeField(_("開始時間"), null=True, blank=True)
    closes_at = models.TimeField(_("終了時間"), null=True, blank=True)
    availability_note = models.CharField(_("利用可能日時特記事項"), max_length=300, blank=True)
    description = models.TextField(_("説明"), blank=True, max_length=2000)
    barrier_free = models.TextField(_("バリアフリー情報"), blank=True, max_length=1000)
    url = models.URLField(_("URL"), blank=True)
    note = models.TextField(_("備考"), blank=True, max_length=1000)
    is_published = models.BooleanField(_("オープンデータに載せる"), default=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("公共施設")
        verbose_name_plural = _("公共施設")
        ordering = ["area__code", "kind", "name"]

    def __str__(self):
        return self.name

    def audit_label(self):
        return f"公共施設 #{self.pk}"
