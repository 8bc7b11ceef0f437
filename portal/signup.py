"""allauth's sign-up form, made all-or-nothing and uniform in its timing.

The portal's own fields (name, district) come from `portal.forms.SignupForm`,
which allauth uses as the base of this form (ACCOUNT_SIGNUP_FORM_CLASS).
"""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password
from django.db import transaction


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            # A new account costs one password hash; an address already
            # registered must cost the same, or the answer time tells which
            # addresses have accounts. allauth then mails the owner instead.
            make_password(self.cleaned_data.get("password1"))
            return super().try_save(request)
        # The user, their profile fields and their EmailAddress row are
        # written together or not at all.
        with transaction.atomic():
            return super().try_save(request)
