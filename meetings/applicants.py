"""Applicants of a meeting series: everyone who asked to take part.

Two sources: the registrations for the series' meetings (a walk-in did not
apply), and what other apps add through `providers`. The survey work adds
the residents who volunteered on a questionnaire's last page for the series'
area:

    from meetings import applicants
    applicants.providers.append(lambda series: [applicants.Volunteered(...), ...])

Providers are read on every call, never copied into a table of this app, so
a volunteer record erased by its owner app is gone from the series at once.
One person who volunteered and then registered (the same e-mail address or
telephone number, see `contact_keys`) is one applicant. The funnel's "applied" stage counts this same list.
"""

import re
import unicodedata
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
    # ... and those whose registration is not cancelled.
    active: list = field(default_factory=list)
    # Came from a provider (a survey's volunteer record).
    volunteered: bool = False
    # Every source's key of this person (registrations, volunteer records).
    keys: list = field(default_factory=list)

    @property
    def registered(self):
        return bool(self.active)


def person_key(registration):
    """The same person across meetings: the account, else the letter (the
    keyed hash of its code), else the row."""
    if registration.user_id:
        return f"user:{registration.user_id}"
    if registration.invitation_ref:
        return f"letter:{registration.invitation_ref}"
    return f"registration:{registration.pk}"


def contact_keys(*texts):
    """What identifies a person across sources: each e-mail address
    (lower-cased) and each telephone number (digits only, +81 as 0), after
    NFKC so that full-width digits and hyphens match their ASCII forms.
    "090-1234-5678", "０９０１２３４５６７８" and "+81 90 1234 5678" are one number."""
    keys = set()
    for text in texts:
        text = unicodedata.normalize("NFKC", text or "").strip().lower()
        if not text:
            continue
        if "@" in text:
            keys.add("email:" + text)
            continue
        digits = re.sub(r"\D", "", text)
        if text.startswith("+81"):
            digits = "0" + digits[2:].lstrip("0")
        if 10 <= len(digits) <= 11 and digits.startswith("0"):
            keys.add("tel:" + digits)
    return keys


def registration_keys(registration):
    email = registration.email or (registration.user.email if registration.user_id else "")
    return contact_keys(email, registration.phone)


class _People:
    """Union-find over the keys of one person (account, code, row, contacts)."""

    def __init__(self):
        self.parent = {}

    def find(self, key):
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, keys):
        keys = list(keys)
        roots = [self.find(k) for k in keys]
        first = roots[0]
        for root in roots[1:]:
            if root != first:
                self.parent[root] = first
        return first


def _volunteers(series):
    return [person for provider in providers for person in (provider(series) or ())]


def people_of(registrations, volunteers):
    """{node key: root}: who is the same person. A registration's node is its
    `person_key`, a volunteer's its own key; nodes sharing an e-mail address
    or a telephone number are one person."""
    people = _People()
    for r in registrations:
        people.union([person_key(r), *sorted(registration_keys(r))])
    for v in volunteers:
        people.union([v.key, *sorted(contact_keys(v.contact))])
    return people


def series_applicants(series, registrations=None):
    """The series' applicants, earliest first: registrants (not walk-ins) and
    the providers' people, one row per person (same account, letter,
    e-mail address or telephone number)."""
    if registrations is None:
        registrations = Registration.objects.filter(meeting__series=series).select_related(
            "meeting", "user"
        )
    registrations = sorted(
        (r for r in registrations if r.source != Registration.Source.WALK_IN),
        key=lambda r: (r.created_at, r.pk),
    )
    volunteers = _volunteers(series)
    people = people_of(registrations, volunteers)
    by_root = {}
    for r in registrations:
        root = people.find(person_key(r))
        applicant = by_root.get(root)
        if applicant is None:
            email = r.email or (r.user.email if r.user_id else "")
            applicant = by_root[root] = Applicant(
                key=person_key(r),
                name=r.name,
                contact=email or r.phone,
                applied_on=timezone.localdate(r.created_at),
            )
        applicant.keys.append(person_key(r))
        applicant.contact = applicant.contact or r.email or r.phone
        label = r.get_source_display()
        if label not in applicant.sources:
            applicant.sources.append(label)
        if r.meeting not in applicant.meetings:
            applicant.meetings.append(r.meeting)
        if r.status != Registration.Status.CANCELLED and r.meeting not in applicant.active:
            applicant.active.append(r.meeting)
    for person in volunteers:
        root = people.find(person.key)
        applicant = by_root.get(root)
        if applicant is None:
            applicant = by_root[root] = Applicant(
                key=person.key,
                name=person.name,
                contact=person.contact,
                applied_on=person.applied_on,
            )
        # Volunteered, then registered (or volunteered twice): one person.
        applicant.keys.append(person.key)
        applicant.volunteered = True
        if person.source not in applicant.sources:
            applicant.sources.insert(0, person.source)
        applicant.applied_on = min(applicant.applied_on, person.applied_on)
        applicant.age_band = applicant.age_band or person.age_band
        applicant.sex = applicant.sex or person.sex
        applicant.district = applicant.district or person.district
    result = list(by_root.values())
    result.sort(key=lambda a: (a.applied_on, a.key))
    return result


def find_applicant(series, key):
    """The applicant one of whose keys is `key` (None when gone)."""
    for applicant in series_applicants(series):
        if key in applicant.keys:
            return applicant
    return None


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
