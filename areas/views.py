from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView

from portal import audit
from portal.csvio import ImportRejected
from portal.models import AuditLogEntry
from portal.permissions import PUBLIC, PermissionRequiredMixin, may, permission_required

from . import selectors, services
from .forms import CsvUploadForm, LocalIssueForm, OrganisationFilterForm, OrganisationForm
from .models import Area, LocalIssue


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


class OrganisationCreateView(PermissionRequiredMixin, FormView):
    permission = "areas.manage_organisations"
    form_class = OrganisationForm
    template_name = "areas/organisation_form.html"

    def form_valid(self, form):
        organisation = services.create_organisation(
            areas=form.cleaned_data["areas"], **form.profile_fields()
        )
        messages.success(self.request, _("団体「%s」を登録しました。") % organisation.name)
        return redirect(organisation.get_absolute_url())


class OrganisationDetailView(PermissionRequiredMixin, DetailView):
    permission = PUBLIC
    template_name = "areas/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return selectors.organisations_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        user = self.request.user
        context["may_edit"] = may(user, "areas.edit_organisation", organisation)
        if may(user, "areas.view_organisation_contacts", organisation):
            # Representatives' names and addresses are personal data.
            context["representatives"] = list(organisation.representatives.order_by("email"))
            audit.record_access(
                actor=user,
                action=AuditLogEntry.Action.VIEW,
                target=organisation,
                request=self.request,
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

    def form_valid(self, form):
        services.update_organisation(
            organisation=self.object, areas=form.cleaned_data["areas"], **form.profile_fields()
        )
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
        services.save_local_issue(issue=issue, sdg_goals=form.cleaned_data["sdg_goals"])
        messages.success(self.request, self.success_message % issue.title)
        return redirect("areas:issues")


class LocalIssueCreateView(LocalIssueFormMixin, CreateView):
    success_message = _lazy("地域課題「%s」を追加しました。")

    def get_initial(self):
        return {"number": services.next_local_issue_number(), "is_active": True}


class LocalIssueUpdateView(LocalIssueFormMixin, UpdateView):
    success_message = _lazy("地域課題「%s」を保存しました。")


@permission_required("areas.import_districts")
def import_districts_view(request):
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    rejected = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_districts(data=form.cleaned_data["file"])
        except ImportRejected as exc:
            rejected = exc
        else:
            messages.success(
                request,
                _(
                    "取り込みました: 地域 新規%(ac)d件・更新%(au)d件、"
                    "町丁目 新規%(dc)d件・更新%(du)d件・変更なし%(un)d件。"
                )
                % {
                    "ac": result.areas_created,
                    "au": result.areas_updated,
                    "dc": result.districts_created,
                    "du": result.districts_updated,
                    "un": result.unchanged,
                },
            )
            return redirect("areas:list")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "areas/import_districts.html", {"form": form, "rejected": rejected}, status=status
    )
