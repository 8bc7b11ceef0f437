import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from areas.models import Area, District, LocalIssue, Organisation, Representation
from portal.models import ASSIGNABLE_ROLES, Role, RoleAssignment, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.jp")
    full_name = factory.Sequence(lambda n: f"利用者 {n}号")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        self.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """`role=` one role or `roles=`-like tuple; REPRESENTATIVE links the
        user to an organisation of their own (someone else's for other tests)."""
        if not create or not extracted:
            return
        give_roles(self, extracted if isinstance(extracted, list | tuple | set) else [extracted])


def give_roles(user, roles):
    for role in roles:
        role = Role(role)
        if role in ASSIGNABLE_ROLES:
            RoleAssignment.objects.get_or_create(user=user, role=role)
        elif role == Role.REPRESENTATIVE:
            represent(user, OrganisationFactory())
    if Role.ADMINISTRATOR in roles:
        User.objects.filter(pk=user.pk).update(is_staff=True)
        user.is_staff = True
    user.forget_roles()
    return user


def represent(user, organisation, *, since=None, until=None, position="chair"):
    """An approved Representation of `organisation` by `user` (today by default)."""
    representation = Representation.objects.create(
        user=user,
        organisation=organisation,
        position=position,
        valid_from=since or timezone.localdate() - datetime.timedelta(days=30),
        valid_until=until,
        status=Representation.Status.APPROVED,
        approved_at=timezone.now(),
    )
    user.forget_roles()
    return representation


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:02d}")
    name = factory.Sequence(lambda n: f"テスト地域{n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    area = factory.SubFactory(AreaFactory)
    code = factory.Sequence(lambda n: f"D{n:04d}")
    name = factory.Sequence(lambda n: f"テスト町{n}丁目")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"テスト自治会{n}")
    name_kana = factory.Sequence(lambda n: f"テストジチカイ{n}")
    kind = Organisation.Kind.JICHIKAI
    contact_email = "contact@example.jp"
    approved_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def representatives(self, create, extracted, **kwargs):
        if create and extracted:
            for user in extracted:
                represent(user, self)


def local_issue(number):
    return LocalIssue.objects.get(number=number)
