from django import template

register = template.Library()


@register.filter
def matrix_rows(form, question):
    return form.matrix_rows(question)


@register.filter
def question_field(form, question):
    return form[f"q{question.pk}"]
