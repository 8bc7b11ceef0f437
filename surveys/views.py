from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView

from portal import audit, jobs
from portal.audit import Actor
from portal.csvio import ExportEncodingError, csv_streaming_response
from portal.errors import ServiceError, ServiceErrorMixin
from portal.permissions import PermissionRequiredMixin, permission_required

from . import selectors, services
from .forms import DrawForm, MailingListForm, PurgeForm, RegisterImportForm
from .services import codes, letters


def _iso(value):
    return value.isoformat() if value else ""


class RegisterListView(PermissionRequiredMixin, ListView):
    permission = "surveys.view_register"
    template_name = "surveys/register_list.html"
    context_object_name = "registers"

    def get_queryset(self):
        return selectors.registers(self.request.user)


class RegisterImportView(PermissionRequiredMixin, FormView):
    permission = "surveys.manage_register"
    form_class = RegisterImportForm
    template_name = "surveys/register_import.html"

    def form_valid(self, form):
        data = form.cleaned_data
        job = jobs.start_job(
            kind="surveys.import_register",
            title=_("住民基本台帳の取込（基準日 %(date)s）") % {"date": data["reference_date"]},
            by=Actor.from_request(self.request),
            upload=data["file"],
            params={
                "reference_date": _iso(data["reference_date"]),
                "purpose": data["purpose"],
                "legal_basis": data["legal_basis"],
                "approval_body": data["approval_body"],
                "approval_number": data["approval_number"],
                "approval_date": _iso(data["approval_date"]),
            },
            success_url=reverse("surveys:registers"),
        )
        return redirect(job.get_absolute_url())


class RegisterDetailView(PermissionRequiredMixin, DetailView):
    permission = "surveys.view_register"
    template_name = "surveys/register_detail.html"
    context_object_name = "register"

    def get_queryset(self):
        return selectors.registers(self.request.user)

    def get_context_data(self, **kwargs):
        register = self.object
        review = selectors.residents_to_review(register)
        page = Paginator(review, 50).get_page(self.request.GET.get("page"))
        audit.record(
            by=Actor.from_request(self.request),
            action="surveys.register.viewed",
            target=register,
            data={"shown": "summary_and_rows_to_review", "rows_shown": len(page.object_list)},
        )
        return super().get_context_data(
            summary=selectors.register_summary(register),
            page_obj=page,
            review=page.object_list,
            purge_form=PurgeForm(),
            **kwargs,
        )


@require_POST
@permission_required(
    "surveys.manage_register",
    get_object=lambda request, pk, **kw: get_object_or_404(
        selectors.registers(request.user), pk=pk
    ),
)
def register_purge(request, pk, obj):
    form = PurgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("消去するには確認欄にチェックを入れてください。"))
        return redirect(obj.get_absolute_url())
    try:
        deleted = services.purge_register(
            register=obj, by=Actor.from_request(request), reason="manual"
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(n)d 人分の住民データを消去しました。") % {"n": deleted})
    return redirect(obj.get_absolute_url())


class DrawListView(PermissionRequiredMixin, ListView):
    permission = "surveys.view_draw"
    template_name = "surveys/draw_list.html"
    context_object_name = "draws"
    paginate_by = 30

    def get_queryset(self):
        return selectors.draws(self.request.user)


class DrawCreateView(PermissionRequiredMixin, ServiceErrorMixin, FormView):
    permission = "surveys.draw_sample"
    form_class = DrawForm
    template_name = "surveys/draw_form.html"

    def get_initial(self):
        return {
            "seed": services.new_seed(),
            "register": selectors.latest_register(),
            "exclude_recent": 0,
        }

    def form_valid(self, form):
        try:
            draw = services.draw_sample(by=Actor.from_request(self.request), **form.draw_values())
        except ServiceError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("%(n)d 人を抽出しました。") % {"n": draw.invitations.count()}
        )
        return redirect(draw.get_absolute_url())


class DrawDetailView(PermissionRequiredMixin, DetailView):
    permission = "surveys.view_draw"
    template_name = "surveys/draw_detail.html"
    context_object_name = "draw"

    def get_queryset(self):
        return selectors.draws(self.request.user)

    def get_context_data(self, **kwargs):
        draw = self.object
        page = Paginator(selectors.invitations_of(draw), 50).get_page(self.request.GET.get("page"))
        audit.record(
            by=Actor.from_request(self.request),
            action="surveys.draw.viewed",
            target=draw,
            data={"rows_shown": len(page.object_list), **draw.legal_basis_audit()},
        )
        return super().get_context_data(
            page_obj=page,
            invitations=page.object_list,
            mailing_form=MailingListForm(),
            **kwargs,
        )


def _draw(request, pk, **kwargs):
    return get_object_or_404(selectors.draws(request.user), pk=pk)


@require_POST
@permission_required("surveys.print_letters", get_object=_draw)
def draw_letters(request, pk, obj):
    job = jobs.start_job(
        kind="surveys.print_letters",
        title=_("案内状の作成（%(title)s）") % {"title": obj.title},
        by=Actor.from_request(request),
        params={
            "draw": obj.pk,
            "answer_url": request.build_absolute_uri(reverse("surveys:answer")),
        },
        success_url=obj.get_absolute_url(),
    )
    return redirect(job.get_absolute_url())


@permission_required("surveys.print_letters", get_object=_draw)
def draw_letters_download(request, pk, obj):
    if not obj.letters:
        raise Http404
    audit.record(
        by=Actor.from_request(request),
        action="surveys.letters.downloaded",
        target=obj,
        data={"letters": obj.letters_count, **obj.legal_basis_audit()},
    )
    return FileResponse(
        obj.letters.open("rb"),
        as_attachment=True,
        filename=f"letters-{obj.pk}.pdf",
        content_type="application/pdf",
    )


MAILING_HEADER = ["整理番号", "郵便番号", "住所", "宛名", "アクセスコード", "地域コード"]


@permission_required("surveys.export_mailing_list", get_object=_draw)
def draw_mailing_list(request, pk, obj):
    form = MailingListForm(request.GET or None)
    encoding = form.cleaned_data["encoding"] if form.is_valid() else "utf-8"
    invitations = selectors.invitations_of(obj).filter(resident__isnull=False)
    rows = (
        [
            i.number,
            i.resident.postal_code,
            i.resident.address,
            f"{i.resident.name} 様",
            codes.display(codes.decrypt(i.code_encrypted)),
            i.area.code,
        ]
        for i in invitations.iterator(chunk_size=2000)
    )
    try:
        response = csv_streaming_response(
            rows,
            header=MAILING_HEADER,
            filename=f"宛名一覧_{obj.pk}.csv",
            encoding=encoding,
        )
    except ExportEncodingError as error:
        messages.error(
            request,
            _("Shift_JIS（CP932）で表せない文字があります: %(chars)s。UTF-8で出力してください。")
            % {"chars": "、".join(error.characters)},
        )
        return redirect(obj.get_absolute_url())
    audit.record(
        by=Actor.from_request(request),
        action="surveys.mailing_list.exported",
        target=obj,
        data={"rows": invitations.count(), "encoding": encoding, **obj.legal_basis_audit()},
    )
    return response


@permission_required("surveys.print_letters")
def calibration(request):
    response = HttpResponse(letters.calibration_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="calibration.pdf"'
    return response
