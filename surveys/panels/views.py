from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView

from portal import audit, jobs
from portal.audit import Actor
from portal.csvio import ImportRejected
from portal.errors import ServiceError
from portal.permissions import PermissionRequiredMixin, may, permission_required

from . import selectors, services
from .forms import QuotaForm, StartForm
from .models import PanelSelection


class PanelListView(PermissionRequiredMixin, ListView):
    permission = "surveys.view_panel"
    template_name = "surveys/panels/list.html"
    context_object_name = "selections"
    paginate_by = 30

    def get_queryset(self):
        return selectors.selections(self.request.user).defer("rows", "probabilities", "remaining")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            may_start=may(self.request.user, "surveys.start_panel"), **kwargs
        )


class PanelStartView(PermissionRequiredMixin, FormView):
    permission = "surveys.start_panel"
    form_class = StartForm
    template_name = "surveys/panels/start.html"

    def get_initial(self):
        return {"seed": services.new_seed()}

    def form_valid(self, form):
        data = form.cleaned_data
        people, features = data.get("people_file"), data.get("features_file")
        try:
            selection = services.start_selection(
                title=data["title"],
                area=data["area"],
                source=data["source"],
                size=data["size"],
                reserves=data["reserves"],
                algorithm=data["algorithm"],
                seed=data["seed"],
                margin=data["margin"],
                people_data=people.read() if people else None,
                people_name=people.name if people else "",
                features_data=features.read() if features else None,
                id_column=data["id_column"] or None,
                by=Actor.from_request(self.request),
            )
        except ImportRejected as rejected:
            for line in rejected.report_lines():
                form.add_error(None, line)
            form.add_error(None, _("ファイルに誤りがあるため、候補者を読み込んでいません。"))
            return self.form_invalid(form)
        except ServiceError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        return redirect("surveys:panel_quotas", pk=selection.pk)


def _selection(permission):
    return permission_required(
        permission,
        get_object=lambda request, pk, **kw: get_object_or_404(
            selectors.selections(request.user), pk=pk
        ),
    )


@_selection("surveys.start_panel")
def panel_quotas(request, pk, obj):
    """Set the quotas' bounds; a set no panel can meet is named on the form."""
    if obj.status not in (PanelSelection.Status.DRAFT, PanelSelection.Status.INFEASIBLE):
        return redirect(obj.get_absolute_url())
    form = QuotaForm(request.POST or None, selection=obj)
    if request.method == "POST" and form.is_valid():
        by = Actor.from_request(request)
        try:
            obj = services.set_quotas(selection=obj, bounds=form.bounds(), by=by)
        except services.QuotasInfeasible as infeasible:
            form.add_error(None, _("この割当を満たすパネルはありません。"))
            for message in infeasible.messages:
                form.add_error(None, message)
            form.mark(infeasible.named)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            job = jobs.start_job(
                kind="surveys.panels.select",
                title=_("パネルの選出: %(title)s") % {"title": obj.title},
                by=by,
                params={"selection": obj.pk},
                success_url=obj.get_absolute_url(),
            )
            PanelSelection.objects.filter(pk=obj.pk).update(job_id=job.public_id)
            return redirect(job.get_absolute_url())
    return render(
        request,
        "surveys/panels/quotas.html",
        {"selection": obj, "form": form, "table": form.table()},
    )


class PanelDetailView(PermissionRequiredMixin, DetailView):
    permission = "surveys.view_panel"
    template_name = "surveys/panels/detail.html"
    context_object_name = "selection"

    def get_queryset(self):
        return selectors.selections(self.request.user)

    def get_context_data(self, **kwargs):
        selection = self.object
        user = self.request.user
        audit.record(
            by=Actor.from_request(self.request),
            action="surveys.panel_selection.viewed",
            target=selection,
            data={"pool": selection.pool_size, "panel": len(selection.panel)},
        )
        return super().get_context_data(
            tables=selectors.result_tables(selection),
            verifications=selectors.verifications_of(selection),
            may_verify=may(user, "surveys.verify_panel", selection),
            may_contacts=may(user, "surveys.view_panel_contacts", selection),
            may_export=may(user, "surveys.export_panel", selection),
            may_start=may(user, "surveys.start_panel"),
            **kwargs,
        )


@require_POST
@_selection("surveys.verify_panel")
def panel_verify(request, pk, obj):
    if obj.status != PanelSelection.Status.DONE:
        raise Http404
    job = jobs.start_job(
        kind="surveys.panels.verify",
        title=_("パネル選出の検証: %(title)s") % {"title": obj.title},
        by=Actor.from_request(request),
        params={"selection": obj.pk},
        success_url=obj.get_absolute_url(),
    )
    return redirect(job.get_absolute_url())


@_selection("surveys.view_panel_contacts")
def panel_contacts(request, pk, obj):
    panel, reserves = selectors.contacts(obj)
    audit.record(
        by=Actor.from_request(request),
        action="surveys.panel_contacts.viewed",
        target=obj,
        data={"panel": len(panel), "reserves": len(reserves), "columns": len(obj.contact_columns)},
    )
    return render(
        request,
        "surveys/panels/contacts.html",
        {"selection": obj, "panel": panel, "reserves": reserves},
    )


def _csv(request, selection, content, name, what):
    audit.record(
        by=Actor.from_request(request),
        action="surveys.panel_selection.exported",
        target=selection,
        data={"file": what},
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="panel-{selection.pk}-{name}.csv"'
    return response


PEOPLE_FILES = ("selected", "remaining", "people")


@_selection("surveys.export_panel")
def panel_export(request, pk, name, obj):
    """The files with the people file's columns: the panel, everyone else in
    calling order, and the whole pool (to run `select_panel` on)."""
    if name not in PEOPLE_FILES:
        raise Http404
    if name == "people":
        content = services.pool_file(obj)
    else:
        if obj.status != PanelSelection.Status.DONE:
            raise Http404
        selected, remaining, _probabilities = services.export_files(obj)
        content = selected if name == "selected" else remaining
    return _csv(request, obj, content, name, name)


@_selection("surveys.view_panel")
def panel_probabilities(request, pk, obj):
    if obj.status != PanelSelection.Status.DONE:
        raise Http404
    _selected, _remaining, probabilities = services.export_files(obj)
    return _csv(request, obj, probabilities, "probabilities", "probabilities")


@_selection("surveys.view_panel")
def panel_features(request, pk, obj):
    return _csv(request, obj, services.features_file(obj), "features", "features")
