"""One error type for business rules, and the view mixin that shows it.

Services raise `ServiceError` with a Japanese message a user can act on
("定員に達しています", "この職員は D–F の支援を担当できません"); views never
catch it one by one: `ServiceErrorMixin` turns it into a form error (form
views) or a message on the page the user came from (other POSTs).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    """A business rule refused the action; `message` says why, in Japanese."""

    status_code = 400

    def __init__(self, message, *, code=""):
        self.message = str(message)
        self.code = code
        super().__init__(self.message)

    def __str__(self):
        return self.message


class Busy(ServiceError):
    """Someone else holds the lock on the same record: try again shortly."""

    status_code = 409

    def __init__(self, message=None):
        super().__init__(
            message or _("ほかの方が同じ記録を更新中です。少し待ってからもう一度お試しください。"),
            code="busy",
        )


class ServiceErrorMixin:
    """Form views: the error becomes a non-field error on the re-shown form.
    Other views: a message, and back to the same page (or `service_error_url`)."""

    service_error_url = None

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ServiceError as error:
            form.add_error(None, error.message)
            response = self.form_invalid(form)
            response.status_code = error.status_code
            return response

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect(self.service_error_url or request.path)
