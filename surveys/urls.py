from django.urls import include, path

from . import views
from .analysis import views as analysis
from .questionnaires import answering
from .questionnaires import views as questionnaires

app_name = "surveys"

urlpatterns = [
    path("registers/", views.RegisterListView.as_view(), name="registers"),
    path("registers/import/", views.RegisterImportView.as_view(), name="register_import"),
    path("registers/<int:pk>/", views.RegisterDetailView.as_view(), name="register"),
    path("registers/<int:pk>/purge/", views.register_purge, name="register_purge"),
    path("draws/", views.DrawListView.as_view(), name="draws"),
    path("draws/new/", views.DrawCreateView.as_view(), name="draw_create"),
    path("draws/<int:pk>/", views.DrawDetailView.as_view(), name="draw"),
    path("draws/<int:pk>/letters/", views.draw_letters, name="draw_letters"),
    path("draws/<int:pk>/letters.pdf", views.draw_letters_download, name="draw_letters_pdf"),
    path("draws/<int:pk>/mailing-list.csv", views.draw_mailing_list, name="draw_mailing_list"),
    path("letters/calibration.pdf", views.calibration, name="calibration"),
    # Residents answering with the code of their letter (no account).
    path("answer/", answering.answer, name="answer"),
    path("answer/questions/", answering.questions, name="answer_questions"),
    path("answer/finish/", answering.finish, name="answer_finish"),
    # Questionnaires and surveys.
    path("questionnaires/", questionnaires.questionnaire_list, name="questionnaires"),
    path("questionnaires/<int:pk>/", questionnaires.questionnaire_detail, name="questionnaire"),
    path(
        "questionnaires/<int:pk>/copy/",
        questionnaires.questionnaire_copy,
        name="questionnaire_copy",
    ),
    path(
        "questionnaires/<int:pk>/sections/new/",
        questionnaires.section_add,
        name="questionnaire_section_add",
    ),
    path(
        "questionnaires/<int:pk>/questions/new/",
        questionnaires.question_add,
        name="questionnaire_question_add",
    ),
    path(
        "questionnaires/<int:pk>/questions/<int:question>/delete/",
        questionnaires.question_delete,
        name="questionnaire_question_delete",
    ),
    path(
        "questionnaires/<int:pk>/questions/<int:question>/edit/",
        questionnaires.question_edit,
        name="questionnaire_question_edit",
    ),
    path(
        "questionnaires/<int:pk>/questions/<int:question>/move/",
        questionnaires.question_move,
        name="questionnaire_question_move",
    ),
    path(
        "questionnaires/<int:pk>/sections/<int:section>/edit/",
        questionnaires.section_edit,
        name="questionnaire_section_edit",
    ),
    path(
        "questionnaires/<int:pk>/sections/<int:section>/move/",
        questionnaires.section_move,
        name="questionnaire_section_move",
    ),
    path(
        "questionnaires/<int:pk>/sections/<int:section>/delete/",
        questionnaires.section_delete,
        name="questionnaire_section_delete",
    ),
    path(
        "questionnaires/<int:pk>/preview/",
        questionnaires.questionnaire_preview,
        name="questionnaire_preview",
    ),
    path("surveys/", questionnaires.survey_list, name="surveys"),
    path("surveys/new/", questionnaires.survey_create, name="survey_create"),
    path("surveys/import/", questionnaires.answer_import, name="answer_import"),
    path("surveys/<str:code>/", analysis.survey_analysis, name="survey"),
    path(
        "surveys/<str:code>/figure-<int:figure>.svg", analysis.survey_figure, name="survey_figure"
    ),
    path("surveys/<str:code>/crosstab/", analysis.survey_crosstab, name="survey_crosstab"),
    path("surveys/<str:code>/issues.csv", analysis.survey_issues_csv, name="survey_issues_csv"),
    path("surveys/<str:code>/analysis.xlsx", analysis.survey_xlsx, name="survey_xlsx"),
    path("surveys/<str:code>/free-text/", analysis.survey_free_text, name="survey_free_text"),
    path("surveys/<str:code>/paper/", questionnaires.paper_answer, name="paper_answer"),
    path("surveys/<str:code>/volunteers/", questionnaires.volunteers, name="survey_volunteers"),
    path(
        "surveys/<str:code>/volunteers/erase/",
        questionnaires.volunteers_erase,
        name="survey_volunteers_erase",
    ),
    path(
        "surveys/<str:code>/volunteers/<int:pk>/erase/",
        questionnaires.volunteer_erase,
        name="survey_volunteer_erase",
    ),
    path("panels/", include("surveys.panels.urls")),
]
