"""The analysis pages: shares, quadrant charts, cross-tabs, comparison, exports."""

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal import audit
from portal.audit import Actor
from portal.permissions import permission_required

from .. import selectors
from ..questionnaires import holding
from ..questionnaires.models import Question, QuestionAnswer
from . import charts, exports, tables
from .issues import LABELS, MEASURES, analyse_cached


def _survey(request, code, **kwargs):
    return get_object_or_404(selectors.surveys(request.user), code=code)


TABLES_CACHE_SECONDS = 10 * 60


def _analysis_tables(survey):
    """(respondents, held answers, html) of the page's tables: response rates, shares and
    groups. They change only with the answers (every service adding one bumps
    `answers_version`) and the draw, so they are rendered once per version,
    draw and language and shared by everyone who may see the analysis; kept
    ten minutes, which bounds what no version tells (an area renamed)."""
    key = f"surveys:analysis-tables:{survey.pk}:{survey.answers_version}:{survey.draw_id}:{get_language()}"
    cached = cache.get(key)
    if cached is None:
        analysis = analyse_cached(survey)
        html = render_to_string(
            "surveys/_analysis_tables.html",
            {
                "survey": survey,
                "analysis": analysis,
                "means": {m: analysis.mean_percent(m) for m in MEASURES},
                "groups1": analysis.groups(1),
                "groups2": analysis.groups(2),
                "rates": tables.response_rates(survey),
            },
        )
        # Answers received and not yet in the tables (they join in batches).
        cached = (analysis.respondents, holding.held_count(survey), html)
        cache.set(key, cached, TABLES_CACHE_SECONDS)
    respondents, held, html = cached
    return respondents, held, mark_safe(html)  # noqa: S308 - rendered by our own template


@permission_required("surveys.view_analysis", get_object=_survey)
def survey_analysis(request, code, obj):
    respondents, held, analysis_tables = _analysis_tables(obj)
    others = selectors.surveys(request.user).exclude(pk=obj.pk)
    compare_code = request.GET.get("compare", "")
    comparison = None
    if compare_code:
        earlier = others.filter(code=compare_code).first()
        if earlier is not None:
            comparison = tables.comparison(obj, earlier)
            comparison["survey"] = earlier
    audit.record(
        by=Actor.from_request(request),
        action="surveys.analysis.viewed",
        target=obj,
        data={"compare": compare_code},
    )
    return render(
        request,
        "surveys/survey_analysis.html",
        {
            "survey": obj,
            "respondents": respondents,
            "held": held,
            "batch": holding.batch_size(),
            "analysis_tables": analysis_tables,
            # The comparison's choices: a code and a title each.
            "others": others.select_related(None).only("code", "title"),
            "compare_code": compare_code,
            "comparison": comparison,
            "dimensions": tables.DIMENSIONS,
        },
    )


@permission_required("surveys.view_analysis", get_object=_survey)
def survey_figure(request, code, figure, obj):
    if figure not in (1, 2):
        raise Http404
    svg = charts.quadrant_svg(analyse_cached(obj), figure)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=60"
    # Shown through <img> on the analysis page; opened on its own, the
    # browser downloads it rather than running it as a document.
    response["Content-Disposition"] = f'attachment; filename="{obj.code}-figure-{figure}.svg"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required("surveys.view_analysis", get_object=_survey)
def survey_crosstab(request, code, obj):
    dimension = request.GET.get("dimension", "age_band")
    measure = request.GET.get("measure", "interest")
    if dimension not in tables.DIMENSIONS or measure not in MEASURES:
        raise Http404
    table = tables.crosstab(obj, dimension, measure)
    audit.record(
        by=Actor.from_request(request),
        action="surveys.crosstab.viewed",
        target=obj,
        data={"dimension": dimension, "measure": measure},
    )
    return render(
        request,
        "surveys/survey_crosstab.html",
        {
            "survey": obj,
            "table": table,
            "dimensions": tables.DIMENSIONS,
            "measures": LABELS,
            "min_cell": tables.MIN_CELL,
        },
    )


def _download(data, filename, content_type):
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@permission_required("surveys.view_analysis", get_object=_survey)
def survey_issues_csv(request, code, obj):
    data = exports.issue_csv(analyse_cached(obj))
    audit.record(
        by=Actor.from_request(request),
        action="surveys.analysis.exported",
        target=obj,
        data={"format": "csv"},
    )
    return _download(data, f"issues-{obj.code}.csv", "text/csv; charset=utf-8")


@permission_required("surveys.view_analysis", get_object=_survey)
def survey_xlsx(request, code, obj):
    data = exports.workbook(obj, analyse_cached(obj))
    audit.record(
        by=Actor.from_request(request),
        action="surveys.analysis.exported",
        target=obj,
        data={"format": "xlsx"},
    )
    return _download(
        data,
        f"analysis-{obj.code}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@permission_required("surveys.view_analysis", get_object=_survey)
def survey_free_text(request, code, obj):
    """Free-text answers: staff only, without the bands beside them."""
    answers = (
        QuestionAnswer.objects.filter(response__survey=obj, question__kind=Question.Kind.TEXT)
        .select_related("question")
        .order_by("question__section__order", "question__order", "id")
    )
    audit.record(
        by=Actor.from_request(request),
        action="surveys.free_text.viewed",
        target=obj,
        data={"rows_shown": len(answers)},
    )
    return render(request, "surveys/survey_free_text.html", {"survey": obj, "answers": answers})
