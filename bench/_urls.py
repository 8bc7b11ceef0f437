"""The portal's URLs plus the benchmark baseline (bench/settings_bench.py only)."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.utils.html import escape

from portal.urls import urlpatterns as portal_urlpatterns


def baseline_view(request, pk):
    """One indexed query (primary key) and a small response: the floor of any page."""
    from meetings.models import Meeting

    title = Meeting.objects.filter(pk=pk).values_list("title", flat=True).first()
    title = escape(title)
    return HttpResponse(f"<!doctype html><title>{title}</title><p>{title}</p>")


urlpatterns = list(portal_urlpatterns)
if getattr(settings, "BENCH_BASELINE_VIEW", False):
    urlpatterns.append(path("bench/baseline/<int:pk>/", baseline_view))
