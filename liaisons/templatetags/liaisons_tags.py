from django import template

from liaisons import selectors

register = template.Library()


@register.simple_tag
def current_officers(area):
    """The area's officers today, for the public area page."""
    return selectors.current_officers_for_area(area)


@register.filter
def status_label(value):
    """The Japanese name of a request state stored in the history."""
    from liaisons.models import SupportRequest

    if not value:
        return "—"
    try:
        return SupportRequest.Status(value).label
    except ValueError:
        return value
