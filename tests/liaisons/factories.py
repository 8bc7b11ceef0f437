import datetime

import factory
from django.utils import timezone

from liaisons.models import AreaAssignment, Consultation, OfficerProfile, SupportRequest
from portal.models import Role
from tests.factories import AreaFactory, OrganisationFactory, UserFactory


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficerProfile

    user = factory.SubFactory(UserFactory, role=Role.LIAISON_OFFICER)
    department = "協働推進課"
    experience = OfficerProfile.Experience.GENERAL


def officer_on(area, *, user=None, experienced=False, kind="main"):
    """An officer (new unless `user` is given) assigned to `area` since last month."""
    officer = OfficerFactory(
        experience="experienced" if experienced else "general",
        **({"user": user} if user is not None else {}),
    )
    AreaAssignment.objects.create(
        officer=officer,
        area=area,
        kind=kind,
        valid_from=timezone.localdate() - datetime.timedelta(days=30),
    )
    return officer


class SupportRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportRequest

    area = factory.SubFactory(AreaFactory)
    organisation = factory.LazyAttribute(lambda o: OrganisationFactory(areas=[o.area]))
    tier = "A"
    title = factory.Sequence(lambda n: f"支援依頼{n}")
    description = "行事の手伝いをお願いします。"
    contact_name = "桜井 一郎"
    contact_phone = "090-0000-0000"
    contact_email = "chair@example.jp"


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    area = factory.SubFactory(AreaFactory)
    channel = Consultation.Channel.PHONE
    summary = "ごみ集積所の相談"
    outcome = Consultation.Outcome.ANSWERED
