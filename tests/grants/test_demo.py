import io

import pytest

from grants.models import Application, Programme
from portal.demo import build_demo

pytestmark = pytest.mark.django_db


def test_demo_builds_both_programmes_and_is_idempotent():
    build_demo(io.StringIO())
    build_demo(io.StringIO())
    lump_sum = Programme.objects.get(kind="lump_sum", fiscal_year=2026)
    assert lump_sum.allocation.is_locked
    assert sum(line.amount for line in lump_sum.allocation.lines.all()) == lump_sum.budget
    assert lump_sum.allocation.lines.count() == 5
    statuses = sorted(Application.objects.values_list("status", flat=True))
    assert statuses == sorted(Application.Status.values)
    rejected = Application.objects.get(status="rejected")
    assert rejected.rejection_reason and rejected.decided_at
    closed = Application.objects.get(status="closed")
    assert closed.report.status == "accepted" and closed.approved_amount
    in_review = Application.objects.get(status="in_review")
    assert sorted(in_review.review_assignments.values_list("reviewer__email", flat=True)) == [
        "reviewer@example.jp",
        "senior-officer@example.jp",
    ]
