"""Programmes and the lump-sum allocation."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import audit
from portal.audit import Actor
from portal.csvio import ImportRejected
from portal.errors import ServiceError
from portal.permissions import PUBLIC, may, permission_required

from .. import selectors
from ..forms import AllocationInputsForm, ProgrammeForm, SpreadsheetUploadForm, WeightsForm
from ..services import allocation as allocation_services
from ..services import programmes as programme_services
from ..services.applications import committed_amount
from .common import programme_or_404

__all__ = [
    "programme_list",
    "programme_detail",
    "programme_create",
    "programme_edit",
    "allocation_view",
    "allocation_weights",
    "allocation_inputs",
    "allocation_import",
    "allocation_fill",
    "allocation_approve",
]


@permission_required(PUBLIC)
def programme_list(request):
    return render(
        request,
        "grants/programme_list.html",
        {
            "programmes": selectors.programmes(),
            "may_manage": may(request.user, "grants.manage_programmes"),
            "may_apply": may(request.user, "grants.apply"),
        },
    )


@permission_required(PUBLIC, get_object=programme_or_404)
def programme_detail(request, pk, obj):
    user = request.user
    return render(
        request,
        "grants/programme_detail.html",
        {
            "programme": obj,
            "criteria": list(obj.criteria.all()),
            "may_manage": may(user, "grants.manage_programmes"),
            "may_apply": obj.is_proposal and may(user, "grants.apply", obj),
            "may_view_allocation": not obj.is_proposal and may(user, "grants.view_allocation"),
            "committed": committed_amount(obj),
        },
    )


def _programme_values(form):
    data = dict(form.cleaned_data)
    criteria = data.pop("criteria")
    return data, criteria


@permission_required("grants.manage_programmes")
def programme_create(request):
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values, criteria = _programme_values(form)
        try:
            programme = programme_services.create_programme(
                **values, criteria=criteria, by=Actor.from_request(request)
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("事業「%s」を登録しました。") % programme.name)
            return redirect(programme.get_absolute_url())
    return render(
        request,
        "grants/programme_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@permission_required("grants.manage_programmes", get_object=programme_or_404)
def programme_edit(request, pk, obj):
    form = ProgrammeForm(request.POST or None, initial=ProgrammeForm.initial_for(obj))
    if request.method == "POST" and form.is_valid():
        values, criteria = _programme_values(form)
        try:
            programme_services.update_programme(
                programme_id=obj.pk, criteria=criteria, by=Actor.from_request(request), **values
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("事業を保存しました。"))
            return redirect(obj.get_absolute_url())
    return render(
        request,
        "grants/programme_form.html",
        {"form": form, "programme": obj},
        status=400 if request.method == "POST" else 200,
    )


def _allocation_page(request, programme, *, status=200, **forms):
    allocation, lines = selectors.allocation_lines(programme)
    if allocation is None:
        messages.error(request, _("この事業は地域配分を使いません。"))
        return redirect(programme.get_absolute_url())
    manage = may(request.user, "grants.manage_programmes") and not allocation.is_locked
    context = {
        "programme": programme,
        "allocation": allocation,
        "lines": lines,
        "total": sum(line.amount for line in lines),
        "population": sum(line.population for line in lines),
        "households": sum(line.households for line in lines),
        "weight_total": allocation.base_weight
        + allocation.per_capita_weight
        + allocation.per_household_weight,
        "may_edit": manage,
    }
    if manage:
        context["weights_form"] = forms.get("weights_form") or WeightsForm(
            initial={
                "base_weight": allocation.base_weight,
                "per_capita_weight": allocation.per_capita_weight,
                "per_household_weight": allocation.per_household_weight,
            }
        )
        context["inputs_form"] = forms.get("inputs_form") or AllocationInputsForm(lines=lines)
        context["import_form"] = forms.get("import_form") or SpreadsheetUploadForm()
        context["import_errors"] = forms.get("import_errors")
    return render(request, "grants/allocation.html", context, status=status)


@permission_required("grants.view_allocation", get_object=programme_or_404)
def allocation_view(request, pk, obj):
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        # django-import-export and tablib cost 0.02 s at start-up; only the downloads need them.
        from .. import resources

        allocation, lines = selectors.allocation_lines(obj)
        dataset = resources.AllocationInputResource().export(
            allocation.lines.select_related("area").order_by("area__code"),
            force_native_type=fmt == "xlsx",
        )
        audit.record(
            by=Actor.from_request(request),
            action="grants.allocation.exported",
            target=allocation,
            data={"format": fmt, "rows": len(dataset)},
        )
        from django.http import HttpResponse

        from portal.csvio import csv_response

        if fmt == "csv":
            return csv_response(resources.dataset_csv(dataset), filename=f"allocation-{obj.pk}.csv")
        response = HttpResponse(
            resources.dataset_xlsx(dataset),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="allocation-{obj.pk}.xlsx"'
        return response
    return _allocation_page(request, obj)


@require_POST
@permission_required("grants.manage_programmes", get_object=programme_or_404)
def allocation_weights(request, pk, obj):
    form = WeightsForm(request.POST)
    if form.is_valid():
        try:
            allocation_services.set_weights(
                programme_id=obj.pk, **form.cleaned_data, by=Actor.from_request(request)
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("重みを保存し、配分額を計算し直しました。"))
            return redirect("grants:allocation", pk=obj.pk)
    return _allocation_page(request, obj, status=400, weights_form=form)


@require_POST
@permission_required("grants.manage_programmes", get_object=programme_or_404)
def allocation_inputs(request, pk, obj):
    _allocation, lines = selectors.allocation_lines(obj)
    form = AllocationInputsForm(request.POST, lines=lines)
    if form.is_valid():
        try:
            allocation_services.set_inputs(
                programme_id=obj.pk,
                inputs=form.inputs(),
                source=_("手入力"),
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("人口・世帯数を保存し、配分額を計算し直しました。"))
            return redirect("grants:allocation", pk=obj.pk)
    return _allocation_page(request, obj, status=400, inputs_form=form)


@require_POST
@permission_required("grants.manage_programmes", get_object=programme_or_404)
def allocation_import(request, pk, obj):
    """Import population and households from CSV/XLSX: every bad row is
    listed and nothing changes unless the whole file is good."""
    form = SpreadsheetUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _allocation_page(request, obj, status=400, import_form=form)
    # django-import-export and tablib cost 0.02 s at start-up; only the import needs them.
    from .. import resources

    try:
        dataset = resources.load_dataset(form.cleaned_data["file"])
        inputs = resources.read_allocation_inputs(dataset)
        allocation_services.set_inputs(
            programme_id=obj.pk,
            inputs=inputs,
            source=_("ファイル取込（%s）") % form.cleaned_data["file"].name[:100],
            by=Actor.from_request(request),
            action="grants.allocation.imported",
        )
    except ImportRejected as rejected:
        return _allocation_page(
            request, obj, status=400, import_form=form, import_errors=rejected.report_lines()
        )
    except ServiceError as error:
        form.add_error(None, error.message)
        return _allocation_page(request, obj, status=400, import_form=form)
    except Exception:  # noqa: BLE001 — an unreadable spreadsheet
        form.add_error(
            "file", _("ファイルを読み取れませんでした。CSVかExcel（.xlsx）を選んでください。")
        )
        return _allocation_page(request, obj, status=400, import_form=form)
    messages.success(request, _("%d地域の人口・世帯数を取り込みました。") % len(inputs))
    return redirect("grants:allocation", pk=obj.pk)


@require_POST
@permission_required("grants.manage_programmes", get_object=programme_or_404)
def allocation_fill(request, pk, obj):
    try:
        allocation_services.fill_from_register(programme_id=obj.pk, by=Actor.from_request(request))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("住民基本台帳の人口・世帯数を反映しました。"))
    return redirect("grants:allocation", pk=obj.pk)


@require_POST
@permission_required("grants.manage_programmes", get_object=programme_or_404)
def allocation_approve(request, pk, obj):
    try:
        allocation_services.approve_allocation(programme_id=obj.pk, by=Actor.from_request(request))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("地域配分を確定しました。以後は変更できません。"))
    return redirect("grants:allocation", pk=obj.pk)
