from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("エリアミーティング")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from portal.pagecache import bump

        from .models import Meeting, Registration

        # What the public list and a meeting's page show: the meeting, its
        # seats (registrations) and its facilitators. Held strongly (weak=False):
        # a local function would otherwise be collected once ready() returns.
        def changed(**kwargs):
            bump("meetings")

        for signal, sender in (
            (post_save, Meeting),
            (post_delete, Meeting),
            (post_save, Registration),
            (post_delete, Registration),
            (m2m_changed, Meeting.facilitators.through),
        ):
            signal.connect(
                changed,
                sender=sender,
                weak=False,
                dispatch_uid=f"pagecache-{id(signal)}-{sender.__name__}",
            )
