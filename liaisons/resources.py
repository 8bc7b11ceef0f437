"""The support requests of a fiscal year as a table (django-import-export),
for the CSV and XLSX exports of the reports page."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from .models import SupportRequest


class SupportRequestResource(resources.ModelResource):
    """Columns without personal data: no contact details, no free text
    beyond the title."""

    number = fields.Field(
        attribute="pk", column_name=_("番号"), widget=widgets.IntegerWidget(coerce_to_string=False)
    )
    submitted = fields.Field(column_name=_("受付日"))
    area = fields.Field(attribute="area__name", column_name=_("地域"))
    organisation = fields.Field(attribute="organisation__name", column_name=_("団体"))
    tier = fields.Field(column_name=_("支援の種類"))
    title = fields.Field(attribute="title", column_name=_("件名"))
    status = fields.Field(column_name=_("状態"))
    assignee = fields.Field(column_name=_("担当職員"))
    hours = fields.Field(
        attribute="hours",
        column_name=_("対応時間"),
        widget=widgets.DecimalWidget(coerce_to_string=False),
    )
    referred = fields.Field(attribute="referred_department", column_name=_("引継ぎ先の部署"))
    rating = fields.Field(
        attribute="rating",
        column_name=_("評価"),
        widget=widgets.IntegerWidget(coerce_to_string=False),
    )

    class Meta:
        model = SupportRequest
        fields = export_order = (
            "number",
            "submitted",
            "area",
            "organisation",
            "tier",
            "title",
            "status",
            "assignee",
            "hours",
            "referred",
            "rating",
        )

    def dehydrate_submitted(self, request):
        return timezone.localtime(request.submitted_at).strftime("%Y-%m-%d")

    def dehydrate_tier(self, request):
        return request.tier

    def dehydrate_status(self, request):
        return str(request.get_status_display())

    def dehydrate_assignee(self, request):
        return request.assignee.user.get_full_name() if request.assignee_id else ""
