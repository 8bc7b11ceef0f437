"""Applicants of a meeting series: everyone who asked to take part.

Two sources: the registrations for the series' meetings (a walk-in did not
apply), and what other apps add through `providers`. The survey work adds
the residents who volunteered on a questionnaire's last page for the series'
area:

    from meetings import applicants
    applicants.providers.append(lambda series: [applicants.Volunteered(...), ...])

Providers are read on every call, never copied into a table of this app, so
a volunteer record erased by its owner app is gone from the series at once.
One person who volunteered and then registered (the same e-mail address)
is one applicant. The funnel's "applied" stage counts this same list.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Registration

providers = []


@dataclass(frozen=True)
class Volunteered:
    """An applicant from another app (a survey's volunteer record)."""

    key: str
    name: str
    contact: str
    applied_on: date
    source: str
    age_band: str = ""
    sex: str = ""
    district: str = ""


@dataclass
class Applicant:
    key: str
    name: str
    contact: str
    applied_on: date
    sources: list = field(default_factory=list)
    age_band: str = ""
    sex: str = ""
    district: str = ""
    # The meetings of the series this person registered for (any status).
    meetings: list = field(default_factory=list)
    # Came from a provider (a survey's volunteer record).
    volunteered: bool = False

    @property
    def registered(self):
        return bool(self.meetings)


def person_key(registration):
    """The same person across meetings: the account, else the letter's code, else the row."""
    if registration.user_id:
        return f"user:{registration.user_id}"
    if registration.invitation_code:
        return f"code:{registration.invitation_code}"
    return f"registration:{registration.pk}"


def _email(text):
    text = (text or "").strip().lower()
    return text if "@" in text else ""


def _from_registrations(registrations):
    people = {}
    for r in sorted(registrations, key=lambda r: (r.created_at, r.pk)):
        if r.source == Registration.Source.WALK_IN:
            continue
        key = person_key(r)
        applicant = people.get(key)
        if applicant is None:
            email = r.email or (r.user.email if r.user_id else "")
            applicant = people[key] = Applicant(
                key=key,
                name=r.name,
                contact=email,
                applied_on=timezone.localdate(r.created_at),
            )
        label = r.get_source_display()
        if label not in applicant.sources:
            applicant.sources.append(label)
        if r.meeting not in applicant.meetings:
            applicant.meetings.append(r.meeting)
    return people


def series_applicants(series, registrations=None):
    """The series' applicants, earliest first: registrants (not walk-ins) and
    the providers' people, one row per person."""
    if registrations is None:
        registrations = Registration.objects.filter(meeting__series=series).select_related(
            "meeting", "user"
        )
    people = _from_registrations(registrations)
    by_email = {_email(a.contact): a for a in people.values() if _email(a.contact)}
    result = list(people.values())
    for provider in providers:
        for person in provider(series) or ():
            same = by_email.get(_email(person.contact))
            if same is not None:
                # Volunteered, then registered: one person, both sources.
                same.volunteered = True
                if person.source not in same.sources:
                    same.sources.insert(0, person.source)
                same.applied_on = min(same.applied_on, person.applied_on)
                same.age_band = same.age_band or person.age_band
                same.sex = same.sex or person.sex
                same.district = same.district or person.district
                continue
            applicant = Applicant(
                key=person.key,
                name=person.name,
                contact=person.contact,
                applied_on=person.applied_on,
                sources=[person.source],
                age_band=person.age_band,
                sex=person.sex,
                district=person.district,
                volunteered=True,
            )
            result.append(applicant)
            if _email(person.contact):
                by_email[_email(person.contact)] = applicant
    result.sort(key=lambda a: (a.applied_on, a.key))
    return result


def export_header():
    return [
        _("申込日"),
        _("氏名"),
        _("連絡先"),
        _("経路"),
        _("年齢区分"),
        _("性別"),
        _("町丁目"),
        _("申し込んだ回"),
    ]


def export_rows(applicants):
    for a in applicants:
        yield [
            a.applied_on.isoformat(),
            a.name,
            a.contact,
            "・".join(a.sources),
            a.age_band,
            a.sex,
            a.district,
            "・".join(m.title for m in a.meetings),
        ]
