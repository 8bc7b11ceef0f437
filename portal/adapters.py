"""How allauth fits the portal: client addresses, e-mail limits, mail context."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .clientip import client_ip

# RFC 5321 limits a forward path to 256 octets including the angle brackets;
# the User and EmailAddress columns hold exactly this many characters.
EMAIL_MAX_LENGTH = 254


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        # The same address the audit log records, so a forged X-Forwarded-For
        # neither breaks the login page nor opens a fresh rate-limit bucket.
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied(_("接続元のアドレスを確認できません。"))
        return ip

    def clean_email(self, email):
        # allauth would cut a longer address to fit the user row, storing a
        # different address (or failing half-way through sign-up).
        if len(email) > EMAIL_MAX_LENGTH:
            raise forms.ValidationError(
                _(
                    "メールアドレスは%(limit)d文字以内で入力してください（%(length)d文字入力されています）。"
                )
                % {"limit": EMAIL_MAX_LENGTH, "length": len(email)}
            )
        return super().clean_email(email)

    def send_mail(self, template_prefix, email, context):
        # Mails greet from the portal and its city, not from the host name.
        context = {"city_name": settings.PORTAL_CITY_NAME, **context}
        super().send_mail(template_prefix, email, context)
