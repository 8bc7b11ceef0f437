"""The portal's URLs plus the benchmark baseline (bench/settings_bench.py only)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.html import escape

from portal.permissions import permission_required
from portal.urls import urlpatterns as portal_urlpatterns


def baseline_view(request, pk):
    """One indexed query (primary key) and a small response: the floor of any page."""
    from meetings.models import Meeting

    title = Meeting.objects.filter(pk=pk).values_list("title", flat=True).first()
    title = escape(title)
    return HttpResponse(f"<!doctype html><title>{title}</title><p>{title}</p>")


@permission_required("portal.view_staff_dashboard")
def staff_layout_view(request, pk):
    """The same query inside the staff layout and nothing else: what every
    staff page costs before its own work (session, user and roles, the
    navigation by role, the header and footer)."""
    from meetings.models import Meeting

    title = Meeting.objects.filter(pk=pk).values_list("title", flat=True).first()
    return render(request, "bench/staff_layout.html", {"title": title})


urlpatterns = [
    *portal_urlpatterns,
    path("bench/baseline/<int:pk>/", baseline_view),
    path("bench/staff-layout/<int:pk>/", staff_layout_view),
]
