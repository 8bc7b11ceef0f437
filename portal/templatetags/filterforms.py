"""The filter forms of list pages, rendered once per choices, data and language.

A list page's filter form costs more to render than its twenty rows: Django
renders every widget through its own templates. What the form shows depends
only on its fields (labels, choices, attributes), the values it holds and the
language, so those make up the cache key and nothing has to say when an area
or an officer is added: a new choice is a new key. A form with errors is
rendered each time (its messages are for this request only).
"""

import hashlib

from django import forms, template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

TEMPLATE = "components/form.html"
TIMEOUT_SECONDS = 10 * 60


def _fingerprint(form):
    parts = [type(form).__module__, type(form).__qualname__, form.prefix or "", get_language()]
    for name, field in form.fields.items():
        bound = form[name]
        parts += [
            name,
            str(bound.value()),
            str(field.label),
            str(field.help_text),
            str(field.required),
            repr(sorted(field.widget.attrs.items())),
            type(field.widget).__name__,
        ]
        if isinstance(field, forms.ModelChoiceField):
            # One plain query: iterating `choices` opens a server-side cursor
            # (three round trips on PostgreSQL) for a list of a few options.
            parts.append(str(field.empty_label))
            parts += [f"{obj.pk}\x1f{field.label_from_instance(obj)}" for obj in field.queryset]
        elif isinstance(field, forms.ChoiceField):
            parts += [f"{value}\x1f{label}" for value, label in field.choices]
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()


@register.simple_tag
def filter_fields(form):
    """The fields of a GET filter form, as `components/form.html` renders them."""
    if form.is_bound and form.errors:
        return render_to_string(TEMPLATE, {"form": form})
    key = f"filterform:{_fingerprint(form)}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(TEMPLATE, {"form": form})
        cache.set(key, html, TIMEOUT_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template's output
