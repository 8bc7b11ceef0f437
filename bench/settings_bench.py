"""Settings for pages served under load in the benchmarks (never in production).

The portal's own settings, plus bench-only pages: the URLs of bench/_urls.py
add /bench/baseline/<pk>/, one indexed query through the same middleware,
WSGI server and database, the baseline every page is compared with. Staff MFA
is off here only because the load generator signs in with ready-made
sessions; the middleware still runs on every request.
"""

import os

os.environ.setdefault("REQUIRE_STAFF_MFA", "false")

from portal.settings import *  # noqa: E402, F403

ROOT_URLCONF = "bench._urls"
# Mail is sent by tasks that run inline without a broker; what is measured
# here is the page, not the mail server.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# The staff-layout floor's template (bench/_urls.py).
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]  # noqa: F405
