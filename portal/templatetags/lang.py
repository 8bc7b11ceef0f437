"""Japanese data on pages shown in another language.

Names and texts that people type (areas, districts, organisations, meetings)
stay Japanese when the page is shown in English; marking them with
lang="ja" lets screen readers read them with a Japanese voice and browsers
pick Japanese glyphs (WCAG 3.1.2, JIS X 8341-3 3.1.2). On Japanese pages
nothing is added.

    {% load lang %}
    <a href="…">{{ area.name|ja }}</a>          → <span lang="ja">…</span> on English pages
    <p{% ja_attr %}>{{ area.description }}</p>  →  lang="ja" on English pages

Only for element content: never in <title>, attributes or blocktranslate
values used in attributes.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


def _page_is_japanese():
    return (get_language() or "ja").split("-")[0] == "ja"


@register.filter
def ja(value):
    if value in (None, "") or _page_is_japanese():
        return value
    return format_html('<span lang="ja">{}</span>', value)


@register.simple_tag
def ja_attr():
    return "" if _page_is_japanese() else mark_safe(' lang="ja"')
