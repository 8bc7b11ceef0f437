"""What the surveys app gives the other apps: invitation codes from survey
letters accepted by meeting registration. Imported at start-up by portal."""

from meetings.services import registration

from .services.codes import find_invitation


def invitation_for_meeting(code, meeting):
    """A code printed on a survey letter invites its resident to the meetings
    of the area the letter was sent to."""
    invitation = find_invitation(code)
    return invitation is not None and invitation.area_id == meeting.area_id


registration.invitation_validators.append(invitation_for_meeting)


# --- The meetings funnel: sampled → answered, from the survey's invitations ---

from meetings import funnel  # noqa: E402

from .models import Invitation  # noqa: E402


def survey_funnel(series):
    """Invitations of the draws for the series' area, and how many answered."""
    from django.db.models import Count

    figures = Invitation.objects.filter(area_id=series.area_id).aggregate(
        sampled=Count("pk"), answered=Count("answered_at")
    )
    if not figures["sampled"]:
        return None
    return figures


funnel.providers.append(survey_funnel)
