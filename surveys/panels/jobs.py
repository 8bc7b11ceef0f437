"""Jobs of panel selection (see portal.jobs): the selection and its verification."""

from django.utils.translation import gettext as _

from portal import jobs

from . import services
from .models import PanelSelection


@jobs.handler("surveys.panels.select")
def run_panel_selection(job, progress):
    selection = PanelSelection.objects.get(pk=job.params["selection"])
    selection = services.run_selection(
        selection=selection, by=jobs.job_actor(job), progress=progress
    )
    return {
        "message": _("%(pool)d人から%(size)d人のパネルと補欠%(reserves)d人を選びました。")
        % {
            "pool": selection.pool_size,
            "size": len(selection.panel),
            "reserves": len(selection.reserve_ids),
        },
        "selection": selection.pk,
    }


@jobs.handler("surveys.panels.verify")
def run_panel_verification(job, progress):
    selection = PanelSelection.objects.get(pk=job.params["selection"])
    verification = services.verify_selection(
        selection=selection, by=jobs.job_actor(job), progress=progress
    )
    if verification.same_panel and verification.same_reserves:
        message = _("同じパネルと補欠が選ばれました（%(process)s で再実行）。")
    elif verification.same_panel:
        message = _("同じパネルが選ばれましたが、補欠の順が異なります（%(process)s で再実行）。")
    else:
        message = _("異なるパネルが選ばれました（%(process)s で再実行）。記録を確認してください。")
    return {
        "message": message % {"process": verification.process},
        "verification": verification.pk,
        "same_panel": verification.same_panel,
    }
