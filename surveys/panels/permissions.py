"""Who may run, see and check panel selections.

Coordinators run selections. The selection is open to audit: administrators
may see it, its probabilities, and re-run it to verify it. The volunteers'
contacts (and the exports that carry the people file's columns) are for
coordinators only.
"""

from django.utils.translation import gettext_lazy as _

from portal.models import Role
from portal.permissions import HasRole, register

COORDINATOR_ONLY = _("コーディネーターのみ利用できます。")

panel_staff = HasRole(Role.COORDINATOR, reason=COORDINATOR_ONLY)
panel_auditors = HasRole(
    Role.COORDINATOR,
    Role.ADMINISTRATOR,
    reason=_("コーディネーターと管理者のみ利用できます。"),
)

register("surveys.start_panel", panel_staff)
register("surveys.view_panel", panel_auditors)
register("surveys.verify_panel", panel_auditors)
register("surveys.view_panel_contacts", panel_staff)
register("surveys.export_panel", panel_staff)
