"""Two people editing or registering the same organisation at the same time.

Real threads on PostgreSQL, each with its own connection. A short sleep
between reading and writing makes the interleaving the same on every run;
the control run without the lock shows the race the lock prevents.
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection

from areas import services
from areas.models import Organisation
from portal import audit, locking
from portal.audit import Actor
from portal.errors import ServiceError
from portal.models import AuditLogEntry
from tests.factories import AreaFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

SYSTEM = Actor.for_system("test")


@pytest.fixture(autouse=True)
def _postgresql_only():
    if not settings.USING_POSTGRESQL:
        pytest.skip("concurrency is tested on PostgreSQL")


def _profile(organisation, **changes):
    values = {
        name: getattr(organisation, name)
        for name in services.OrganisationProfile.__dataclass_fields__
    }
    return services.OrganisationProfile(**{**values, **changes})


def _at_once(*functions):
    """Run the functions in threads started together; their results or errors."""
    outcomes = [None] * len(functions)
    barrier = threading.Barrier(len(functions))

    def run(index, function):
        barrier.wait()
        try:
            outcomes[index] = function()
        except Exception as error:  # noqa: BLE001 - reported to the test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.parametrize("locks_enabled", [True, False], ids=["locked", "control-without-lock"])
def test_two_editors_each_audit_the_values_they_replaced(monkeypatch, locks_enabled):
    """Under the lock the second editor reads the first one's result, so each
    audit row's "old" description is the one that edit replaced. Without it
    both read the original and the second row claims to have replaced a
    value that was already gone."""
    area = AreaFactory()
    organisation = OrganisationFactory(description="元の説明", areas=[area])
    monkeypatch.setattr(locking, "LOCKS_ENABLED", locks_enabled)
    original_save = Organisation.save

    def slow_save(self, *args, **kwargs):
        time.sleep(0.5)  # both editors have read the row by now, unless locked out
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Organisation, "save", slow_save)

    def edit(description):
        return lambda: services.update_organisation(
            organisation_id=organisation.pk,
            profile=_profile(organisation, description=description),
            areas=[area],
            by=SYSTEM,
        )

    outcomes = _at_once(edit("一人目の説明"), edit("二人目の説明"))
    assert all(isinstance(o, Organisation) for o in outcomes), outcomes
    first, second = (
        entry.data["changes"]["description"]
        for entry in AuditLogEntry.objects.filter(action="areas.organisation.updated").order_by(
            "id"
        )
    )
    assert first["old"] == "元の説明"
    organisation.refresh_from_db()
    assert organisation.description == second["new"]
    if locks_enabled:
        assert second["old"] == first["new"]
    else:
        assert second["old"] == "元の説明"


def test_registering_the_same_organisation_twice_at_once_gives_a_message(monkeypatch):
    """Both insert; the second waits on the unique index while the first is
    still writing its audit row, then gets a message instead of a 500."""
    area = AreaFactory()
    original_record = audit.record

    def slow_record(**kwargs):
        time.sleep(0.5)  # the other registration reaches its insert meanwhile
        return original_record(**kwargs)

    monkeypatch.setattr(services.audit, "record", slow_record)
    profile = services.OrganisationProfile(
        name="桜ヶ丘見守りの会",
        name_kana="サクラガオカミマモリノカイ",
        kind=Organisation.Kind.OTHER,
        description="",
        website="",
        contact_email="",
        contact_phone="",
    )

    def register():
        return services.create_organisation(profile=profile, areas=[area], by=SYSTEM)

    outcomes = _at_once(register, register)
    created = [o for o in outcomes if isinstance(o, Organisation)]
    refused = [o for o in outcomes if isinstance(o, ServiceError)]
    assert len(created) == 1 and len(refused) == 1, outcomes
    assert "同じ名前・種別の団体がすでに登録されています" in str(refused[0].message)
    assert Organisation.objects.filter(name="桜ヶ丘見守りの会").count() == 1
    assert AuditLogEntry.objects.filter(action="areas.organisation.created").count() == 1
