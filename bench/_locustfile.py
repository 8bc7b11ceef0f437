"""One page under load: BENCH_PATH, with BENCH_COOKIE, about BENCH_WAIT seconds
between a user's requests (0: as fast as the server answers; otherwise drawn
from 0.5–1.5 × BENCH_WAIT so users do not arrive in step). Anything but a 200
(a redirect to the login page, a 4xx, a 5xx) counts as an error."""

import os

from locust import HttpUser, between, constant, task

PATH = os.environ["BENCH_PATH"]
COOKIE = os.environ.get("BENCH_COOKIE", "")
WAIT = float(os.environ.get("BENCH_WAIT", "0"))


class Visitor(HttpUser):
    wait_time = between(WAIT / 2, WAIT * 1.5) if WAIT else constant(0)

    @task
    def page(self):
        headers = {"Cookie": COOKIE} if COOKIE else {}
        with self.client.get(
            PATH, headers=headers, allow_redirects=False, catch_response=True, name="page"
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
