"""Who may use the register, draws and letters (personal data: coordinators only)."""

from django.utils.translation import gettext_lazy as _

from portal.models import Role
from portal.permissions import PUBLIC, HasRole, register

REGISTER_STAFF = _("住民基本台帳を扱う権限のある職員（コーディネーター）のみ利用できます。")

# The register holds personal data: only the staff who run surveys, not every
# staff member (administrators manage accounts, not residents' data).
survey_staff = HasRole(Role.COORDINATOR, reason=REGISTER_STAFF)

register("surveys.manage_register", survey_staff)
register("surveys.view_register", survey_staff)
register("surveys.draw_sample", survey_staff)
register("surveys.view_draw", survey_staff)
register("surveys.print_letters", survey_staff)
register("surveys.export_mailing_list", survey_staff)

ANSWER = PUBLIC

# Questionnaires, answers and their analysis: the staff who run surveys.
# Free text and volunteers' contacts are for them only.
SURVEY_STAFF = _("アンケートを担当する職員（コーディネーター）のみ利用できます。")
survey_runners = HasRole(Role.COORDINATOR, reason=SURVEY_STAFF)

register("surveys.manage_questionnaire", survey_runners)
register("surveys.view_survey", survey_runners)
register("surveys.manage_survey", survey_runners)
register("surveys.view_analysis", survey_runners)
register("surveys.enter_paper_answer", survey_runners)
register("surveys.import_answers", survey_runners)
register("surveys.view_volunteers", survey_runners)
register("surveys.erase_volunteers", survey_runners)
from surveys.panels import permissions as panel_permissions  # noqa: E402, F401
