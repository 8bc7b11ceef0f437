"""Benchmark: a burst of registrations at one meeting.

500 signed-in residents (sessions made in bulk, a CSRF cookie and the same
token in the form, as a browser sends after loading the form) POST the
registration form of a meeting with 40 seats at the same moment, through
gunicorn on 127.0.0.1 (one sync worker per core). Exactly 40 must end up
confirmed (the rest on the waiting list), with no 5xx. The baseline, in the
same run and the same way: 500 simultaneous GETs of the one-query bench page
(bench/settings_bench.py).

    python bench/registration_burst.py    # QUICK=1 changes nothing: it is short
"""

import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as harness  # noqa: E402
import _server as server  # noqa: E402

CLIENTS = 500
SEATS = 40


def make_meeting_and_users(fake):
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from areas.models import Area
    from meetings.models import Meeting
    from portal.models import User

    area = Area.objects.create(code="B01", name="ベンチ地域")
    now = timezone.now()
    meeting = Meeting.objects.create(
        area=area,
        title="エリアミーティング（申込集中）",
        kind=Meeting.Kind.AREA_MEETING,
        starts_at=now + timedelta(days=14),
        ends_at=now + timedelta(days=14, hours=2),
        venue_name="ベンチ地区センター",
        capacity=SEATS,
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=13),
        status=Meeting.Status.OPEN,
    )
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(email=f"burst{n}@bench.example.jp", password=unusable) for n in range(CLIENTS)
    )
    names = [fake.name() for _ in range(CLIENTS)]
    return meeting, users, names


def burst(requests_to_send):
    """Send every (method, url, headers, data) at once; [(status, seconds)]."""
    import requests

    results = [None] * len(requests_to_send)
    ready = threading.Barrier(len(requests_to_send) + 1)

    def send(index, method, url, headers, data):
        session = requests.Session()
        ready.wait()
        started = time.perf_counter()
        try:
            response = session.request(
                method, url, headers=headers, data=data, allow_redirects=False, timeout=300
            )
            status = response.status_code
        except requests.RequestException:
            status = 0
        results[index] = (status, time.perf_counter() - started)

    threads = [
        threading.Thread(target=send, args=(i, *request), daemon=True)
        for i, request in enumerate(requests_to_send)
    ]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def summary(results):
    times = [seconds * 1000 for _status, seconds in results]
    statuses = [status for status, _seconds in results]
    return {
        "p50": harness.percentile(times, 50),
        "p95": harness.percentile(times, 95),
        "server_errors": sum(1 for s in statuses if s >= 500 or s == 0),
        "statuses": {s: statuses.count(s) for s in sorted(set(statuses))},
    }


def run(quick):
    harness.django_setup()
    meeting, users, names = make_meeting_and_users(harness.faker())
    keys = server.sessions_for(users)
    from django.db import connections

    connections.close_all()
    posts, gets = [], []
    with server.gunicorn() as base:
        for user, name in zip(users, names, strict=True):
            token = server.csrf_token()
            cookie = f"sessionid={keys[user.pk]}; csrftoken={token}"
            posts.append(
                (
                    "POST",
                    f"{base}/meetings/{meeting.pk}/register/",
                    {"Cookie": cookie, "Referer": f"{base}/meetings/{meeting.pk}/register/"},
                    {
                        "csrfmiddlewaretoken": token,
                        "name": name,
                        "email": user.email,
                        "party_size": "1",
                        "mode": "in_person",
                    },
                )
            )
            gets.append(("GET", f"{base}/bench/baseline/{meeting.pk}/", {}, None))
        burst(gets[:20])  # warm the workers
        baseline_results, baseline_wall = burst(gets)
        results, wall = burst(posts)
    from meetings.models import Meeting, Registration

    meeting = Meeting.objects.get(pk=meeting.pk)
    confirmed = Registration.objects.filter(
        meeting=meeting, status=Registration.Status.CONFIRMED
    ).count()
    waiting = Registration.objects.filter(
        meeting=meeting, status=Registration.Status.WAITING
    ).count()
    posted, base = summary(results), summary(baseline_results)
    print(
        f"{CLIENTS} registrations in {wall:.1f} s: responses {posted['statuses']}; "
        f"{confirmed} confirmed, {waiting} waiting, meeting.confirmed_seats "
        f"{meeting.confirmed_seats}; p50 {posted['p50']:.0f} ms, p95 {posted['p95']:.0f} ms"
    )
    print(
        f"baseline: {CLIENTS} GETs in {baseline_wall:.1f} s, responses {base['statuses']}, "
        f"p50 {base['p50']:.0f} ms, p95 {base['p95']:.0f} ms"
    )
    label = f"{CLIENTS} simultaneous GETs of the one-query bench page, same stack"
    exact = confirmed == SEATS == meeting.confirmed_seats and confirmed + waiting == CLIENTS
    Figure = harness.Figure
    return [
        Figure(
            f"registration burst: seats confirmed of {SEATS} ({CLIENTS} POSTs)",
            confirmed,
            "",
            None,
            "",
            f"= {SEATS}, rest waiting",
            exact,
            note=f"{waiting} waiting; meeting.confirmed_seats {meeting.confirmed_seats}",
        ),
        Figure(
            "registration burst: 5xx or failed responses",
            posted["server_errors"],
            "",
            base["server_errors"],
            label,
            "0",
            posted["server_errors"] == 0,
            note=f"responses {posted['statuses']}",
        ),
        Figure(
            "registration burst: p95 response time",
            posted["p95"],
            "ms",
            base["p95"],
            label,
            note=f"p50 {posted['p50']:.0f} ms; all {CLIENTS} sent at once to "
            f"{server.os.cpu_count()} workers",
        ),
        Figure(
            f"registration burst: wall time of {CLIENTS} requests",
            wall,
            "s",
            baseline_wall,
            label,
        ),
    ]


if __name__ == "__main__":
    harness.main(run)
