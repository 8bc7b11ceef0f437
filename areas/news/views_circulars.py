"""Making and printing the 回覧板."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from areas.models import Area
from portal.audit import Actor
from portal.errors import ServiceError
from portal.permissions import may, permission_required, visible

from . import circular, selectors
from .forms import CircularForm, next_month


@permission_required("areas.view_circular")
def circular_list(request):
    areas = visible(request.user, "areas.make_circular", Area.objects.all())
    return render(
        request,
        "areas/news/circular_list.html",
        {"circulars": list(selectors.circulars_visible_to(request.user)), "areas": list(areas)},
    )


def _area(request, code, **kwargs):
    return get_object_or_404(
        visible(request.user, "areas.make_circular", Area.objects.all()), code=code
    )


@permission_required("areas.make_circular", get_object=_area)
def circular_create(request, code, obj):
    area = obj
    month = next_month()
    if request.method == "POST":
        # A month the form will refuse keeps next month for the lists shown.
        try:
            form_month = CircularForm.base_fields["month"].to_python(request.POST.get("month", ""))
        except ValidationError:
            form_month = None
        month = form_month or month
    meetings = circular.upcoming_items(area=area, month=month)
    posts = selectors.live_posts(area=area)
    form = CircularForm(
        request.POST or None,
        posts=posts,
        meetings=meetings,
        initial={
            "month": month,
            "title": _("%(area)s 回覧板 %(year)d年%(month)d月")
            % {"area": area.name, "year": month.year, "month": month.month},
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = circular.create_circular(
                area=area,
                month=form.cleaned_data["month"],
                title=form.cleaned_data["title"],
                issuer=form.cleaned_data["issuer"],
                posts=list(form.cleaned_data["posts"]),
                meeting_keys=form.cleaned_data["meetings"],
                households=form.cleaned_data["households"],
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("回覧板を作成しました。PDFを印刷できます。"))
            return redirect(made.get_absolute_url())
    return render(
        request,
        "areas/news/circular_form.html",
        {"form": form, "area": area},
        status=400 if request.method == "POST" else 200,
    )


def _circular(request, pk, **kwargs):
    return get_object_or_404(selectors.circulars_visible_to(request.user), pk=pk)


@permission_required("areas.view_circular", get_object=_circular)
def circular_detail(request, pk, obj):
    from portal import audit

    audit.record(
        by=Actor.from_request(request),
        action="areas.circular.viewed",
        target=obj,
        data={"households": len(obj.household_list)},
    )
    return render(
        request,
        "areas/news/circular_detail.html",
        {
            "circular": obj,
            "posts": list(obj.posts.all()),
            "may_make": may(request.user, "areas.make_circular", obj.area),
        },
    )


@permission_required("areas.view_circular", get_object=_circular)
def circular_pdf(request, pk, obj):
    pdf = circular.render_pdf(obj, by=Actor.from_request(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="circular-{obj.area.code}-{obj.month:%Y-%m}.pdf"'
    )
    return response
