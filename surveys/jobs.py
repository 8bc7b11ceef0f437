"""Jobs of the surveys app (see portal.jobs): register imports and letters."""

from datetime import date

from django.utils.translation import gettext as _

from portal import jobs

from . import services
from .models import Draw
from .services import letters


def _date(value):
    return date.fromisoformat(value) if value else None


@jobs.handler("surveys.import_register")
def run_register_import(job, progress):
    params = job.params
    with job.upload.open("rb") as upload:
        result = services.import_register(
            data=upload,
            reference_date=_date(params["reference_date"]),
            purpose=params["purpose"],
            legal_basis=params["legal_basis"],
            approval_body=params.get("approval_body", ""),
            approval_number=params.get("approval_number", ""),
            approval_date=_date(params.get("approval_date")),
            size=job.upload.size,
            by=jobs.job_actor(job),
            progress=progress,
        )
    message = _("%(rows)d 人を取り込みました（要確認 %(review)d 人）。") % {
        "rows": result.rows,
        "review": result.review,
    }
    if result.replaced:
        message += _("同じ基準日の名簿（%(n)d 人）を置き換えました。") % {"n": result.replaced}
    return {"message": message, "rows": result.rows, "register": result.register.pk}


@jobs.handler("surveys.print_letters")
def run_print_letters(job, progress):
    draw = Draw.objects.get(pk=job.params["draw"])
    draw = letters.print_letters(
        draw=draw,
        answer_url=job.params["answer_url"],
        by=jobs.job_actor(job),
        progress=progress,
    )
    return {
        "message": _("案内状 %(n)d 通のPDFを作成しました。") % {"n": draw.letters_count},
        "letters": draw.letters_count,
    }


@jobs.handler("surveys.import_answers")
def run_answer_import(job, progress):
    from .questionnaires.imports import import_answers

    with job.upload.open("rb") as upload:
        result = import_answers(
            data=upload,
            survey_code=job.params["survey_code"],
            by=jobs.job_actor(job),
            progress=progress,
        )
    return {
        "message": _("%(rows)d 件の回答を取り込みました（%(code)s）。")
        % {"rows": result.rows, "code": result.survey.code},
        "rows": result.rows,
    }


from surveys.panels import jobs as panel_jobs  # noqa: E402, F401
