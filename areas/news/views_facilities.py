"""Staff pages for the public facilities (公共施設)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from areas.models import Facility
from portal.audit import Actor
from portal.errors import ServiceError
from portal.permissions import permission_required

from . import selectors, services
from .forms import FacilityForm


@permission_required("areas.manage_facilities")
def facility_list(request):
    try:
        opendata_url = reverse("opendata:index")
    except NoReverseMatch:  # /opendata/ not wired in this deployment
        opendata_url = ""
    return render(
        request,
        "areas/news/facility_list.html",
        {"facilities": list(selectors.facilities()), "opendata_url": opendata_url},
    )


def _form_page(request, form, facility=None):
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.FACILITY_FIELDS}
        try:
            services.save_facility(
                values=values,
                facility_id=facility.pk if facility else None,
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("公共施設を保存しました。"))
            return redirect("areas:news:facilities")
    return render(
        request,
        "areas/news/facility_form.html",
        {"form": form, "facility": facility},
        status=400 if request.method == "POST" else 200,
    )


@permission_required("areas.manage_facilities")
def facility_create(request):
    return _form_page(request, FacilityForm(request.POST or None))


def _facility(request, pk, **kwargs):
    return get_object_or_404(Facility, pk=pk)


@permission_required("areas.manage_facilities", get_object=_facility)
def facility_edit(request, pk, obj):
    return _form_page(request, FacilityForm(request.POST or None, instance=obj), obj)
