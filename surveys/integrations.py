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
