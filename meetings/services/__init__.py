"""Business actions of the meetings app (see registration.py for the seats)."""

from .meetings import (  # noqa: F401
    MEETING_FLOW,
    MeetingDetails,
    add_idea,
    create_meeting,
    create_series,
    move_meeting,
    officers,
    push_idea_to_karte,
    save_minutes,
    set_funnel_figures,
    submit_feedback,
    update_meeting,
)
from .registration import (  # noqa: F401
    Participant,
    Promotion,
    add_walk_in,
    cancel_registration,
    change_capacity,
    check_in,
    invitation_validators,
    promote_waiting,
    register_applicant,
    register_for_meeting,
    register_with_invitation,
    seats_taken,
)
