import threading
import time
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from liaisons import services
from liaisons.models import LiaisonSettings, SupportRequest
from portal import locking
from portal.audit import Actor
from portal.errors import ServiceError
from portal.models import AuditLogEntry, Role, StateChange
from tests.factories import AreaFactory, OrganisationFactory, UserFactory, represent
from tests.liaisons.factories import SupportRequestFactory, officer_on

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def coordinator():
    return Actor.for_user(UserFactory(role=Role.COORDINATOR), Role.COORDINATOR)


def representative_of(organisation):
    user = UserFactory()
    represent(user, organisation)
    return Actor.for_user(user, Role.REPRESENTATIVE)


@pytest.fixture
def area():
    return AreaFactory()


@pytest.fixture
def organisation(area):
    return OrganisationFactory(areas=[area])


def submit(organisation, area, *, by, tier="D", files=()):
    return services.submit_request(
        organisation=organisation,
        area=area,
        tier=tier,
        title="総会の進行支援",
        description="総会の進行を手伝ってほしい。",
        files=files,
        by=by,
    )


def test_a_representative_files_a_request_recorded_with_their_representation(area, organisation):
    by = representative_of(organisation)
    request = submit(organisation, area, by=by, files=[SimpleUploadedFile("a.pdf", PDF)])
    assert request.status == SupportRequest.Status.SUBMITTED
    assert request.requested_by == by.user
    assert request.representation.organisation == organisation
    assert request.contact_email == by.user.email
    attachment = request.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.file.read() == PDF
    assert AuditLogEntry.objects.filter(action="liaisons.attachment.created").count() == 1


def test_someone_not_representing_the_organisation_cannot_file(area, organisation):
    by = Actor.for_user(UserFactory(), Role.RESIDENT)
    with pytest.raises(ServiceError, match="代表者"):
        submit(organisation, area, by=by)


def test_staff_file_on_behalf_after_a_phone_call(area, organisation):
    officer = officer_on(area)
    by = Actor.for_user(officer.user, Role.LIAISON_OFFICER)
    request = services.submit_request(
        organisation=organisation,
        area=area,
        tier="B",
        title="届出の代行",
        description="電話で受付",
        channel=SupportRequest.Channel.PHONE,
        contact_name="山田 太郎",
        contact_phone="042-000-0000",
        by=by,
    )
    assert request.channel == "phone"
    assert request.entered_by == officer.user
    assert request.requested_by is None


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00", "invoice.pdf"),  # an executable named .pdf
        (b"<html>\x00</html>", "page.txt"),
    ],
)
def test_attachments_are_checked_by_their_content(area, organisation, content, name):
    with pytest.raises(ServiceError, match="受け付けられない種類"):
        submit(
            organisation,
            area,
            by=representative_of(organisation),
            files=[SimpleUploadedFile(name, content)],
        )
    assert not SupportRequest.objects.exists()


def test_an_attachment_keeps_only_the_extension_of_what_it_is(area, organisation):
    request = submit(
        organisation,
        area,
        by=representative_of(organisation),
        files=[SimpleUploadedFile("evil.html", b"<meta http-equiv=refresh content=0>")],
    )
    attachment = request.attachments.get()
    assert attachment.content_type == "text/plain"
    assert attachment.original_name == "evil.txt"


def test_attachments_have_a_size_cap(area, organisation, monkeypatch):
    from liaisons import attachments

    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 10)
    with pytest.raises(ServiceError, match="大きすぎます"):
        submit(
            organisation,
            area,
            by=representative_of(organisation),
            files=[SimpleUploadedFile("a.png", PNG)],
        )


def test_png_jpeg_and_csv_are_accepted(area, organisation):
    files = [
        SimpleUploadedFile("a.png", PNG),
        SimpleUploadedFile("b.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 10),
        SimpleUploadedFile("c.csv", "名前,数\n祭り,3\n".encode("cp932")),
    ]
    request = submit(organisation, area, by=representative_of(organisation), files=files)
    assert sorted(request.attachments.values_list("content_type", flat=True)) == [
        "image/jpeg",
        "image/png",
        "text/csv",
    ]


def _triaged(area, organisation, tier="D"):
    request = SupportRequestFactory(area=area, organisation=organisation, tier=tier)
    services.triage_request(request_id=request.pk, by=coordinator())
    return request


def test_d_to_f_go_only_to_experienced_officers(area, organisation):
    request = _triaged(area, organisation, tier="E")
    general = officer_on(area)
    experienced = officer_on(area, experienced=True)
    with pytest.raises(ServiceError, match="経験者の職員にのみ割り当てられます"):
        services.assign_request(request_id=request.pk, officer_id=general.pk, by=coordinator())
    services.assign_request(request_id=request.pk, officer_id=experienced.pk, by=coordinator())
    request.refresh_from_db()
    assert request.assignee == experienced
    assert request.status == "assigned"


def test_a_to_c_go_to_any_officer(area, organisation):
    request = _triaged(area, organisation, tier="A")
    general = officer_on(area)
    services.assign_request(request_id=request.pk, officer_id=general.pk, by=coordinator())
    request.refresh_from_db()
    assert request.assignee == general


def test_the_city_setting_routes_a_to_c_to_the_intermediary_organisation(area, organisation):
    intermediary = OrganisationFactory(name="まちづくりセンター")
    row = LiaisonSettings.current()
    row.route_a_to_c_to = intermediary
    row.save()
    by = representative_of(organisation)
    simple = submit(organisation, area, by=by, tier="B")
    hard = submit(organisation, area, by=by, tier="D")
    assert simple.status == "referred" and simple.routed_to == intermediary
    assert hard.status == "submitted" and hard.routed_to is None
    assert StateChange.objects.filter(object_id=str(simple.pk), to_state="referred").exists()


def test_the_whole_workflow_writes_history_and_mails(
    area, organisation, django_capture_on_commit_callbacks
):
    by = representative_of(organisation)
    officer = officer_on(area, experienced=True)
    worker = Actor.for_user(officer.user, Role.LIAISON_OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(organisation, area, by=by)
        services.triage_request(request_id=request.pk, by=coordinator())
        services.assign_request(request_id=request.pk, officer_id=officer.pk, by=coordinator())
        services.start_request(request_id=request.pk, by=worker)
        services.complete_request(
            request_id=request.pk, hours=Decimal("2.5"), outcome="総会に同席しました。", by=worker
        )
    request.refresh_from_db()
    assert request.status == "done" and request.hours == Decimal("2.5") and request.closed_at
    moves = list(
        StateChange.objects.filter(object_id=str(request.pk)).values_list("from_state", "to_state")
    )
    assert moves == [
        ("submitted", "triaged"),
        ("triaged", "assigned"),
        ("assigned", "in_progress"),
        ("in_progress", "done"),
    ]
    assert any(
        m.to == [officer.user.email] and "担当になりました" in m.subject for m in mail.outbox
    )
    requester_mail = [m for m in mail.outbox if m.to == [by.user.email]]
    assert len(requester_mail) == 5  # submitted + four moves
    assert "対応済" in requester_mail[-1].subject
    services.rate_request(request_id=request.pk, rating=4, comment="助かりました", by=by)
    request.refresh_from_db()
    assert request.rating == 4


def test_only_the_assignee_or_coordinators_work_the_request(area, organisation):
    request = _triaged(area, organisation, tier="A")
    officer = officer_on(area)
    colleague = officer_on(area)
    services.assign_request(request_id=request.pk, officer_id=officer.pk, by=coordinator())
    with pytest.raises(ServiceError, match="担当職員ではありません"):
        services.start_request(
            request_id=request.pk, by=Actor.for_user(colleague.user, Role.LIAISON_OFFICER)
        )


def test_a_move_not_in_the_table_is_refused(area, organisation):
    request = SupportRequestFactory(area=area, organisation=organisation)
    with pytest.raises(ServiceError, match="へは変更できません"):
        services.start_request(request_id=request.pk, by=coordinator())


def test_referral_records_the_department(area, organisation):
    request = _triaged(area, organisation)
    services.refer_request(request_id=request.pk, department="防災安全課", by=coordinator())
    request.refresh_from_db()
    assert request.status == "referred" and request.referred_department == "防災安全課"


def test_a_form_showing_an_old_version_is_told_what_happened(area, organisation):
    request = _triaged(area, organisation, tier="A")
    first, second = officer_on(area), officer_on(area)
    seen = SupportRequest.objects.get(pk=request.pk).version
    services.assign_request(
        request_id=request.pk, officer_id=first.pk, expected_version=seen, by=coordinator()
    )
    with pytest.raises(
        ServiceError, match="ほかの職員が先にこの依頼を更新しました。現在の状態は「担当決定」"
    ):
        services.assign_request(
            request_id=request.pk, officer_id=second.pk, expected_version=seen, by=coordinator()
        )
    request.refresh_from_db()
    assert request.assignee == first


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("locks_enabled", [True, False], ids=["locked", "control-without-lock"])
def test_two_staff_assigning_the_same_request_at_once(monkeypatch, locks_enabled):
    """Two coordinators assign the same request from the same page at once.
    Under the lock the second waits, then sees the first one's assignment and
    is told; the control run without the lock shows the silent overwrite."""
    from django.conf import settings
    from django.db import connection

    if not settings.USING_POSTGRESQL:
        pytest.skip("concurrency is tested on PostgreSQL")
    area = AreaFactory()
    organisation = OrganisationFactory(areas=[area])
    request = _triaged(area, organisation, tier="A")
    officers = [officer_on(area), officer_on(area)]
    staff = [coordinator(), coordinator()]
    seen = SupportRequest.objects.get(pk=request.pk).version
    monkeypatch.setattr(locking, "LOCKS_ENABLED", locks_enabled)
    original = services._check_fresh

    def slow_check(request, expected_version):
        original(request, expected_version)
        time.sleep(0.5)  # both have read the request by now, unless locked out

    monkeypatch.setattr(services, "_check_fresh", slow_check)
    # Mail is not what this tests; and celery's eager mode keeps a process-wide
    # "join would block" flag that two threads running tasks at once can leave set.
    monkeypatch.setattr(services, "_notify", lambda request_id, event: None)
    outcomes = []
    barrier = threading.Barrier(2)

    def run(index):
        barrier.wait()
        try:
            services.assign_request(
                request_id=request.pk,
                officer_id=officers[index].pk,
                expected_version=seen,
                by=staff[index],
            )
            outcomes.append("assigned")
        except ServiceError as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assignments = StateChange.objects.filter(object_id=str(request.pk), to_state="assigned").count()
    if locks_enabled:
        assert sorted(outcomes)[0] == "assigned"
        assert "ほかの職員が先にこの依頼を更新しました" in sorted(outcomes)[1]
        assert assignments == 1
    else:
        assert outcomes == ["assigned", "assigned"]
        assert assignments == 2


def test_consultation_referral_needs_a_department(area):
    by = Actor.for_user(officer_on(area).user, Role.LIAISON_OFFICER)
    with pytest.raises(ServiceError, match="部署"):
        services.log_consultation(
            area=area,
            channel="phone",
            received_on="2026-06-01",
            summary="相談",
            outcome="referred",
            by=by,
        )


def test_overlapping_assignments_of_one_officer_to_one_area_are_refused(area):
    import datetime

    officer = officer_on(area)
    admin = Actor.for_user(UserFactory(role=Role.ADMINISTRATOR), Role.ADMINISTRATOR)
    with pytest.raises(ServiceError, match="すでに"):
        services.assign_area(
            officer=officer, area=area, kind="sub", valid_from=datetime.date.today(), by=admin
        )
