"""The page for an unexpected error, and 503 when the database is away.

While PostgreSQL restarts or a connection drops, every page fails in the
same way; saying so with 503 and Retry-After (as /healthz does) tells people
and load balancers to come back, where a 500 says the portal is broken. The
page is a static file: rendering the site's layout needs the database.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

RETRY_AFTER_SECONDS = 30


@requires_csrf_token
def server_error(request):
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        page = loader.get_template("503_database.html").render()
        response = HttpResponse(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return django_server_error(request)
