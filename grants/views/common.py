from django.shortcuts import get_object_or_404

from .. import selectors
from ..models import Programme


def programme_or_404(request, pk, **kwargs):
    return get_object_or_404(Programme, pk=pk)


def application_or_404(request, pk, **kwargs):
    """Applications the user may see; anyone else's is a 404."""
    return get_object_or_404(selectors.applications_visible_to(request.user), pk=pk)
