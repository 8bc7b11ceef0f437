from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_production_settings(app_configs, **kwargs):
    problems = []
    if settings.SECRET_KEY_IS_DEFAULT:
        problems.append(
            Error(
                "SECRET_KEY is not set.",
                hint="Set SECRET_KEY in the environment.",
                id="portal.E001",
            )
        )
    if not settings.REQUIRE_STAFF_MFA:
        problems.append(
            Warning(
                "Staff who see personal data are not required to use MFA.",
                hint="Leave REQUIRE_STAFF_MFA on in production.",
                id="portal.W001",
            )
        )
    if not settings.USING_POSTGRESQL:
        problems.append(
            Warning(
                "The portal runs on SQLite, which is meant for demonstrations.",
                hint="Set DATABASE_URL to a PostgreSQL database.",
                id="portal.W002",
            )
        )
    return problems
