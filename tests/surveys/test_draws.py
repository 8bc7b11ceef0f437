import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from portal.dates import age_on
from portal.errors import ServiceError
from portal.models import AuditLogEntry
from surveys import services
from surveys.models import Draw, Invitation, Resident
from surveys.services import codes
from surveys.services.draws import Candidate, allocate, band_of, birth_range, select

from .factories import LEGAL, SYSTEM, import_sample, person, register_csv

ROOT = Path(__file__).resolve().parents[2]


def test_largest_remainder_adds_up_and_breaks_ties_in_key_order():
    populations = {("A01", "40–49", "1"): 5, ("A01", "40–49", "2"): 3, ("A02", "50–59", ""): 2}
    quotas = allocate(populations, 5)
    # Exact shares 2.5, 1.5, 1.0: floors 2, 1, 1 and the one left goes to the first tie.
    assert quotas == {("A01", "40–49", "1"): 3, ("A01", "40–49", "2"): 1, ("A02", "50–59", ""): 1}
    for size in range(0, 11):
        assert sum(allocate(populations, size).values()) == size
    with pytest.raises(ServiceError):
        allocate(populations, 11)


def test_bands_are_decades_cut_to_the_range():
    assert band_of(44, 40, 79) == "40–49"
    assert band_of(44, 42, 79) == "42–49"
    assert band_of(79, 40, 75) == "70–75"
    earliest, latest = birth_range(date(2026, 10, 1), 40, 79)
    # 40 on 2026-10-01 if born up to 1986-10-02 (birthday reached the day before).
    assert latest == date(1986, 10, 2)
    assert earliest == date(1946, 10, 3)


def fake_candidates(count=2000):
    import random

    rng = random.Random(1)
    found = [
        Candidate(
            f"{n:08d}",
            n,
            rng.choice(["A01", "A02", "A03"]),
            rng.choice(["40–49", "50–59", "60–69", "70–79"]),
            rng.choice(["1", "2", ""]),
        )
        for n in range(count)
    ]
    return sorted(found, key=lambda c: c.resident_number)


SCRIPT = """
import json, sys
sys.path.insert(0, {root!r})
from tests.surveys.test_draws import fake_candidates
from surveys.services.draws import select
result = select(fake_candidates(), size=100, method=sys.argv[1], seed="2026-survey")
print(json.dumps([c.resident_number for c in result.chosen]))
"""


@pytest.mark.parametrize("method", ["simple", "stratified"])
def test_same_inputs_and_seed_give_the_same_list_in_any_process(method):
    outputs = []
    for hashseed in ("0", "12345"):
        env = {
            **os.environ,
            "PYTHONHASHSEED": hashseed,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
        }
        code = "import django; django.setup()\n" + SCRIPT.format(root=str(ROOT))
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code, method],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        outputs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    assert outputs[0] == outputs[1] and len(outputs[0]) == 100
    here = [
        c.resident_number
        for c in select(fake_candidates(), size=100, method=method, seed="2026-survey").chosen
    ]
    assert here == outputs[0]
    other = [
        c.resident_number
        for c in select(fake_candidates(), size=100, method=method, seed="other").chosen
    ]
    assert other != here


def test_stratified_strata_add_up_and_follow_the_allocation():
    result = select(fake_candidates(), size=100, method="stratified", seed="s")
    assert sum(s["drawn"] for s in result.strata) == 100
    assert sum(s["population"] for s in result.strata) == 2000
    for stratum in result.strata:
        assert abs(stratum["drawn"] - stratum["expected"]) < 1


@pytest.mark.django_db
def test_draw_records_everything_and_gives_each_resident_a_code(districts):
    import_sample()
    register = Draw._meta.get_field("register").related_model.objects.get()
    draw = services.draw_sample(
        register=register,
        size=10,
        seed="abc",
        method="stratified",
        age_min=40,
        age_max=79,
        by=SYSTEM,
        **LEGAL,
    )
    invitations = list(draw.invitations.select_related("resident"))
    assert len(invitations) == 10
    assert len({i.code_digest for i in invitations}) == 10
    for invitation in invitations:
        age = age_on(invitation.resident.birth_date, draw.as_of)
        assert 40 <= age <= 79
        code = codes.decrypt(invitation.code_encrypted)
        assert len(code) == 12 and set(code) <= set(codes.ALPHABET)
        assert codes.find_invitation(codes.display(code).lower()) == invitation
        # Nothing stored in the clear.
        assert code not in invitation.code_digest and code not in invitation.code_encrypted
    assert sum(s["drawn"] for s in draw.strata) == 10
    entry = AuditLogEntry.objects.get(action="surveys.draw.created")
    assert entry.data["seed"] == "abc" and entry.data["purpose"] == LEGAL["purpose"]
    dump = json.dumps(
        list(AuditLogEntry.objects.values("data", "target_repr", "request_path")),
        ensure_ascii=False,
    )
    for invitation in invitations:
        assert codes.decrypt(invitation.code_encrypted) not in dump
    # The same inputs and seed on the same register: the same residents.
    again = services.draw_sample(
        register=register,
        size=10,
        seed="abc",
        method="stratified",
        age_min=40,
        age_max=79,
        by=SYSTEM,
        **LEGAL,
    )
    assert services.drawn_numbers(again) == services.drawn_numbers(draw)


@pytest.mark.django_db
def test_exclude_recent_draws_and_filters(districts):
    import_sample(data=register_csv([person(str(n), sex="12"[n % 2]) for n in range(40)]))
    register = Draw._meta.get_field("register").related_model.objects.get()
    first = services.draw_sample(
        register=register, size=10, seed="1", method="simple", by=SYSTEM, **LEGAL
    )
    second = services.draw_sample(
        register=register, size=10, seed="1", method="simple", exclude_recent=1, by=SYSTEM, **LEGAL
    )
    assert not set(services.drawn_numbers(first)) & set(services.drawn_numbers(second))
    women = services.draw_sample(
        register=register, size=5, seed="1", sexes=["2"], by=SYSTEM, **LEGAL
    )
    assert set(women.invitations.values_list("sex", flat=True)) == {"2"}
    with pytest.raises(ServiceError):
        services.draw_sample(register=register, size=41, seed="1", by=SYSTEM, **LEGAL)


@pytest.mark.django_db
def test_draw_sample_command_writes_sorted_numbers(districts, tmp_path, capsys):
    import_sample()
    out = tmp_path / "drawn.txt"
    args = [
        "--reference-date",
        "2026-10-01",
        "--size",
        "10",
        "--seed",
        "42",
        "--method",
        "stratified",
        "--age-min",
        "40",
        "--age-max",
        "79",
        "--purpose",
        "p",
        "--legal-basis",
        "l",
    ]
    call_command("draw_sample", *args, "--output", str(out))
    numbers = out.read_text().splitlines()
    assert len(numbers) == 10 and numbers == sorted(numbers)
    call_command("draw_sample", *args)
    assert capsys.readouterr().out.splitlines() == numbers
    assert Draw.objects.count() == 2
    assert set(
        Resident.objects.filter(resident_number__in=numbers).values_list(
            "register__reference_date", flat=True
        )
    ) == {date(2026, 10, 1)}
    with pytest.raises(SystemExit):
        call_command("draw_sample", "--reference-date", "2026-01-01", *args[2:])


@pytest.mark.django_db
def test_purge_deletes_rows_keeps_strata_and_records_it(districts):
    import_sample()
    register = Draw._meta.get_field("register").related_model.objects.get()
    draw = services.draw_sample(register=register, size=5, seed="x", by=SYSTEM, **LEGAL)
    deleted = services.purge_register(register=register, by=SYSTEM)
    assert deleted == 63 and not Resident.objects.exists()
    assert Invitation.objects.filter(draw=draw, resident__isnull=True).count() == 5
    assert (
        AuditLogEntry.objects.get(action="surveys.register.purged").kind == AuditLogEntry.Kind.PURGE
    )
    # After a purge, a register for the same date can be imported again.
    assert import_sample().rows == 63


@pytest.mark.django_db
def test_purge_by_policy(districts, settings):
    settings.SURVEYS_PURGE_AFTER_DAYS = 30
    import_sample()
    register = Draw._meta.get_field("register").related_model.objects.get()
    services.draw_sample(
        register=register, size=5, seed="x", closes_on=date(2026, 12, 1), by=SYSTEM, **LEGAL
    )
    assert services.purge_expired_registers(by=SYSTEM, today=date(2026, 12, 30)) == []
    assert services.purge_expired_registers(by=SYSTEM, today=date(2026, 12, 31)) == [register]
    assert not Resident.objects.exists()


@pytest.mark.django_db
def test_a_letters_code_registers_its_resident_for_a_meeting_of_the_letters_area(districts):
    from meetings.services import register_with_invitation
    from meetings.services.registration import Participant, invitation_reference
    from tests.meetings.factories import MeetingFactory

    import_sample()
    register = Draw._meta.get_field("register").related_model.objects.get()
    draw = services.draw_sample(
        register=register, size=5, seed="m", method="simple", by=SYSTEM, **LEGAL
    )
    invitation = draw.invitations.select_related("area").first()
    code = codes.display(codes.decrypt(invitation.code_encrypted))
    participant = Participant(name="招待 花子", email="letter@example.jp")
    elsewhere = MeetingFactory(area__code="ZZ9")
    with pytest.raises(ServiceError, match="正しくありません"):
        register_with_invitation(
            meeting_id=elsewhere.pk, code=code, participant=participant, by=SYSTEM
        )
    here = MeetingFactory(area=invitation.area)
    registration = register_with_invitation(
        meeting_id=here.pk, code=code, participant=participant, by=SYSTEM
    )
    # A keyed hash of the code, never the code (it would answer the survey),
    # nor the surveys' own digest of it; the same however the code is typed.
    raw = codes.decrypt(invitation.code_encrypted)
    assert registration.invitation_ref == invitation_reference(raw)
    assert raw not in registration.invitation_ref and code not in registration.invitation_ref
    assert registration.invitation_ref != invitation.code_digest
    with pytest.raises(ServiceError, match="すでに申し込まれています"):
        register_with_invitation(
            meeting_id=here.pk, code=raw.lower(), participant=participant, by=SYSTEM
        )


def varied_register(count, seed=7):
    """Residents over every age, sex and district of the sample, numbered so
    that code-point order differs from numeric order ("100" < "99")."""
    import random

    rng = random.Random(seed)
    districts = [f"A0{a}0{d}" for a in range(1, 5) for d in range(1, 4)]
    rows = []
    for n in range(count):
        year, month = rng.randint(1930, 2010), rng.randint(1, 12)
        day = 29 if month == 2 and rng.random() < 0.1 else rng.randint(1, 28)
        birth = f"{year}-{month:02d}-{day:02d}" if year % 4 == 0 or day != 29 else f"{year}-02-28"
        rows.append(
            person(
                str(rng.randint(1, 10 ** rng.randint(2, 9))) + f"-{n}",
                birth=birth,
                sex=rng.choice(["1", "2", ""]),
                district=rng.choice(districts),
            )
        )
    return register_csv(rows)


@pytest.mark.django_db
@pytest.mark.skipif("os.environ.get('DATABASE_URL', '').startswith('sqlite')")
def test_the_database_draw_picks_the_same_residents_as_the_portable_one(districts):
    """PostgreSQL counts and numbers the population itself; the result must be
    exactly the in-memory draw's, for every method and filter."""
    from django.db import connection

    from surveys.services.draws import candidates, select_in_database

    assert connection.vendor == "postgresql"
    import_sample(data=varied_register(3000))
    register = Draw._meta.get_field("register").related_model.objects.get()
    cases = [
        {"age_min": 40, "age_max": 79},
        {"age_min": 42, "age_max": 75, "area_codes": ["A02", "A04"]},
        {"age_min": None, "age_max": None, "sexes": ["", "2"]},
        {"age_min": 18, "age_max": None, "exclude": {"99-5", "100-7"}},
    ]
    for criteria in cases:
        criteria = {
            "register": register,
            "as_of": date(2027, 2, 27),
            "area_codes": [],
            "sexes": [],
            "exclude": set(),
            **criteria,
        }
        for method in ("stratified", "simple"):
            for seed in ("a", "2026-survey"):
                portable = select(candidates(**criteria), size=150, method=method, seed=seed)
                in_database = select_in_database(criteria, size=150, method=method, seed=seed)
                assert in_database.chosen == portable.chosen
                assert in_database.strata == portable.strata
                assert in_database.population == portable.population


def _write_in_a_daemonic_process(directory):
    from portal.pdf import write_pdf_files

    paths = [directory / f"{n}.pdf" for n in range(3)]
    written = []
    write_pdf_files(
        [(f"<p>案内 {n}</p>", path, 1) for n, path in enumerate(paths)],
        "",
        processes=2,
        done=written.append,
    )
    return [path.read_bytes()[:5] for path in paths], len(written)


def test_pdfs_are_written_in_a_celery_worker_process_which_may_not_start_children(tmp_path):
    """Celery's prefork workers are daemonic processes: the letters' parallel
    layout falls back to laying them out one after another there."""
    import billiard

    with billiard.Pool(1) as pool:
        heads, count = pool.apply(_write_in_a_daemonic_process, (tmp_path,))
    assert heads == [b"%PDF-"] * 3 and count == 3
