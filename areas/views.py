from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView

from portal import audit, jobs
from portal.audit import Actor
from portal.errors import ServiceError, ServiceErrorMixin
from portal.permissions import PUBLIC, PermissionRequiredMixin, may, permission_required

from . import selectors, services
from .forms import (
    CsvUploadForm,
    EndRepresentationForm,
    LinkRepresentativeForm,
    LocalIssueForm,
    OrganisationFilterForm,
    OrganisationForm,
    OrganisationRegistrationForm,
    RepresentationApplicationForm,
)
from .models import Area, LocalIssue, Organisation, Representation


class AreaListView(PermissionRequiredMixin, ListView):
    permission = PUBLIC
    template_name = "areas/area_list.html"
    context_object_name = "areas"

    def get_queryset(self):
        return selectors.areas_for_listing()


class AreaDetailView(PermissionRequiredMixin, DetailView):
    permission = PUBLIC
    template_name = "areas/area_detail.html"
    context_object_name = "area"

    def get_object(self, queryset=None):
        try:
            return selectors.area_for_detail(self.kwargs["code"])
        except Area.DoesNotExist:
            raise Http404 from None


class OrganisationListView(PermissionRequiredMixin, ListView):
    permission = PUBLIC
    template_name = "areas/organisation_list.html"
    context_object_name = "organisations"
    paginate_by = 20

    def get_queryset(self):
        self.filter_form = OrganisationFilterForm(self.request.GET or None)
        filters = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return selectors.organisation_directory(
            self.request.user, kind=filters.get("kind", ""), area=filters.get("area")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.filter_form,
            may_create=may(self.request.user, "areas.manage_organisations"),
            **kwargs,
        )


class OrganisationCreateView(PermissionRequiredMixin, ServiceErrorMixin, FormView):
    permission = "areas.manage_organisations"
    form_class = OrganisationForm
    template_name = "areas/organisation_form.html"

    def form_valid(self, form):
        try:
            organisation = services.create_organisation(
                profile=form.profile(),
                areas=form.cleaned_data["areas"],
                by=Actor.from_request(self.request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("団体「%s」を登録しました。") % organisation.name)
        return redirect(organisation.get_absolute_url())


class OrganisationRegistrationView(PermissionRequiredMixin, FormView):
    """A resident registers their organisation; staff approve it."""

    permission = "areas.apply_organisation"
    form_class = OrganisationRegistrationForm
    template_name = "areas/organisation_register.html"

    def form_valid(self, form):
        by = Actor.from_request(self.request)
        try:
            organisation = services.register_organisation(
                profile=form.profile(),
                areas=form.cleaned_data["areas"],
                position=form.cleaned_data["position"],
                by=by,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("団体「%s」の登録を申請しました。市の担当者が確認してから公開されます。")
            % organisation.name,
        )
        return redirect("portal:home")


class OrganisationDetailView(PermissionRequiredMixin, DetailView):
    permission = "areas.view_organisation"
    template_name = "areas/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return selectors.organisations_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        user = self.request.user
        context["may_edit"] = may(user, "areas.edit_organisation", organisation)
        context["may_manage_representatives"] = may(user, "areas.manage_representations")
        context["may_apply"] = user.is_authenticated and not may(
            user, "areas.edit_organisation", organisation
        )
        if may(user, "areas.view_organisation_contacts", organisation):
            # Representatives' names and addresses are personal data.
            context["representatives"] = list(selectors.current_representatives(organisation))
            audit.record(
                by=Actor.from_request(self.request),
                action="areas.organisation_contacts.viewed",
                target=organisation,
                data={"shown": "representatives_and_contacts"},
            )
        return context


class OrganisationUpdateView(PermissionRequiredMixin, UpdateView):
    permission = "areas.edit_organisation"
    form_class = OrganisationForm
    template_name = "areas/organisation_form.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return selectors.organisations_editable_by(self.request.user)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # The form shows the organisation's contacts: a read of personal data.
        audit.record(
            by=Actor.from_request(request),
            action="areas.organisation_contacts.viewed",
            target=self.object,
            data={"shown": "edit_form"},
        )
        return response

    def form_valid(self, form):
        try:
            services.update_organisation(
                organisation_id=self.object.pk,
                profile=form.profile(),
                areas=form.cleaned_data["areas"],
                by=Actor.from_request(self.request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("団体の情報を保存しました。"))
        return redirect(self.object.get_absolute_url())


class LocalIssueListView(PermissionRequiredMixin, ListView):
    permission = PUBLIC
    template_name = "areas/issue_list.html"
    context_object_name = "issues"

    def get_queryset(self):
        return selectors.local_issues(include_retired=self.can_manage)

    @property
    def can_manage(self):
        return may(self.request.user, "areas.manage_issue_catalogue")

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_manage=self.can_manage, **kwargs)


class LocalIssueFormMixin(PermissionRequiredMixin):
    abstract_view = True
    permission = "areas.manage_issue_catalogue"
    model = LocalIssue
    form_class = LocalIssueForm
    template_name = "areas/issue_form.html"
    success_message = None

    def form_valid(self, form):
        issue = form.save(commit=False)
        services.save_local_issue(
            issue=issue,
            sdg_goals=form.cleaned_data["sdg_goals"],
            by=Actor.from_request(self.request),
        )
        messages.success(self.request, self.success_message % issue.title)
        return redirect("areas:issues")


class LocalIssueCreateView(LocalIssueFormMixin, CreateView):
    success_message = gettext_lazy("地域課題「%s」を追加しました。")

    def get_initial(self):
        return {"number": services.next_local_issue_number(), "is_active": True}


class LocalIssueUpdateView(LocalIssueFormMixin, UpdateView):
    success_message = gettext_lazy("地域課題「%s」を保存しました。")


@permission_required("areas.import_districts")
def import_districts_view(request):
    """Upload the file; the import runs as a job whose page shows progress
    and, at the end, the result or every bad row."""
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = jobs.start_job(
            kind="areas.import_districts",
            title=_("町丁目の取込"),
            by=Actor.from_request(request),
            upload=form.cleaned_data["file"],
            success_url=reverse("areas:list"),
        )
        return redirect(job.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "areas/import_districts.html", {"form": form}, status=status)


# --- Representation ----------------------------------------------------------


def _visible_organisation(request, pk, **kwargs):
    return get_object_or_404(selectors.organisations_visible_to(request.user), pk=pk)


@permission_required("areas.apply_representation", get_object=_visible_organisation)
def apply_representation_view(request, pk, obj):
    """A resident asks to be recorded as the organisation's representative."""
    form = RepresentationApplicationForm(
        request.POST or None, initial={"valid_from": selectors.today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_for_representation(
                user=request.user,
                organisation=obj,
                by=Actor.from_request(request),
                **form.cleaned_data,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("代表・担当者としての登録を申請しました。市の担当者が確認します。")
            )
            return redirect(obj.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "areas/representation_apply.html",
        {"form": form, "organisation": obj},
        status=status,
    )


def _any_organisation(request, pk, **kwargs):
    return get_object_or_404(Organisation, pk=pk)


@permission_required("areas.manage_representations", get_object=_any_organisation)
def organisation_representatives_view(request, pk, obj):
    """Staff see who represents the organisation (and who did), link a
    person and end a period."""
    form = LinkRepresentativeForm(request.POST or None, initial={"valid_from": selectors.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.link_representative(
                organisation=obj,
                user=form.user,
                position=form.cleaned_data["position"],
                valid_from=form.cleaned_data["valid_from"],
                valid_until=form.cleaned_data["valid_until"],
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("代表・担当者を登録しました。"))
            return redirect("areas:organisation_representatives", pk=obj.pk)
    representations = list(selectors.representations_of_organisation(obj))
    audit.record(
        by=Actor.from_request(request),
        action="areas.representations.viewed",
        target=obj,
        data={"rows": len(representations)},
    )
    return render(
        request,
        "areas/organisation_representatives.html",
        {
            "organisation": obj,
            "representations": representations,
            "form": form,
            "end_form": EndRepresentationForm(initial={"valid_until": selectors.today()}),
            "today": selectors.today(),
        },
        status=400 if request.method == "POST" else 200,
    )


def _any_representation(request, pk, **kwargs):
    return get_object_or_404(Representation, pk=pk)


@require_POST
@permission_required("areas.manage_representations", get_object=_any_representation)
def end_representation_view(request, pk, obj):
    form = EndRepresentationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("終了日を正しく入力してください。"))
    else:
        try:
            services.end_representation(
                representation_id=obj.pk,
                valid_until=form.cleaned_data["valid_until"],
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("代表・担当の期間を終了しました。"))
    return redirect("areas:organisation_representatives", pk=obj.organisation_id)


@permission_required("areas.view_representation_applications")
def representation_applications_view(request):
    """Applications waiting for staff: organisations to register, people to
    link as representatives."""
    applications = list(selectors.pending_representation_applications())
    registrations = list(selectors.pending_organisation_registrations())
    audit.record(
        by=Actor.from_request(request),
        action="areas.representation_applications.listed",
        target=Representation,
        data={"applications": len(applications), "registrations": len(registrations)},
    )
    return render(
        request,
        "areas/representation_applications.html",
        {"applications": applications, "registrations": registrations},
    )


@require_POST
@permission_required("areas.manage_representations", get_object=_any_representation)
def decide_representation_view(request, pk, obj):
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_representation(
            representation_id=obj.pk, approve=approve, by=Actor.from_request(request)
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("申請を承認しました。") if approve else _("申請を却下しました。")
        )
    return redirect("areas:representation_applications")


@require_POST
@permission_required("areas.manage_organisations", get_object=_any_organisation)
def approve_organisation_view(request, pk, obj):
    try:
        services.approve_organisation(organisation_id=obj.pk, by=Actor.from_request(request))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("団体「%s」を承認し、公開しました。") % obj.name)
    return redirect("areas:representation_applications")
