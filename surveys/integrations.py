"""What the surveys app gives the other apps: invitation codes from survey
letters accepted by meeting registration. Imported at start-up by portal."""

from meetings.services import registration

from .services import codes


def invitation_for_meeting(code, meeting, *, by=None):
    """A code printed on a survey letter invites its resident to the meetings
    of the area the letter was sent to: the code's canonical form, or None.
    The check counts towards the limit every code-checking page shares; a
    letter of another area counts as a wrong code."""
    invitation = codes.find_invitation(code, by=by)
    if invitation is None:
        return None
    if invitation.area_id != meeting.area_id:
        codes.refused(invitation, by=by)
        return None
    return codes.normalise(code)


registration.invitation_validators.append(invitation_for_meeting)


# --- The meetings funnel: sampled → answered, from the survey's invitations ---

from meetings import funnel  # noqa: E402

from .models import Invitation  # noqa: E402


def survey_funnel(series):
    """Invitations of the surveys the series counts (`scoping`) in its area,
    how many answered, and the erased volunteers who had not registered."""
    from django.db.models import Count, Sum

    from .models import VolunteerErasure
    from .scoping import surveys_for_series

    surveys = surveys_for_series(series)
    if not surveys:
        return None
    figures = Invitation.objects.filter(area_id=series.area_id, draw__survey__in=surveys).aggregate(
        sampled=Count("pk"), answered=Count("answered_at")
    )
    figures["applied_erased"] = (
        VolunteerErasure.objects.filter(survey__in=surveys, area_id=series.area_id).aggregate(
            n=Sum("unregistered")
        )["n"]
        or 0
    )
    if not figures["sampled"] and not figures["applied_erased"]:
        return None
    return figures


funnel.providers.append(survey_funnel)


# --- Volunteers are applicants of the area's meeting series -----------------

from meetings import applicants  # noqa: E402


def volunteer_applicants(series):
    """The residents who volunteered on a questionnaire's last page for the
    series' area, in the surveys the series counts (`scoping`), read from
    their own records (never copied)."""
    from django.utils.translation import gettext as _

    from .scoping import surveys_for_series
    from .selectors import volunteers_for_area

    surveys = surveys_for_series(series)
    if not surveys:
        return []

    source = _("アンケートで参加を希望")
    return [
        applicants.Volunteered(
            key=f"volunteer:{v.pk}",
            name=v.name,
            contact=v.contact,
            applied_on=v.registered_on,
            source=source,
            age_band=v.age_band,
            sex=v.get_sex_display() if v.sex else "",
            district=v.district.name if v.district_id else "",
        )
        for v in volunteers_for_area(series.area_id).filter(survey__in=surveys)
    ]


applicants.providers.append(volunteer_applicants)
