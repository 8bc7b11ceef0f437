import logging

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

logger = logging.getLogger("portal.checks")


def local_government_code_is_valid(code):
    """全国地方公共団体コード: five digits and a check digit.

    The check digit is the last digit of 11 minus the remainder of the
    weighted sum (weights 6, 5, 4, 3, 2) divided by 11.
    """
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(code[:5], (6, 5, 4, 3, 2), strict=True)
    )
    return (11 - total % 11) % 10 == int(code[5])


@register()
def check_city_code(app_configs, **kwargs):
    if local_government_code_is_valid(settings.PORTAL_CITY_CODE):
        return []
    return [
        Error(
            f"PORTAL_CITY_CODE {settings.PORTAL_CITY_CODE!r} is not a valid 6-digit local government code.",
            hint="Use the city's 全国地方公共団体コード including its check digit, e.g. 132241.",
            id="portal.E002",
        )
    ]


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


def cache_is_per_process():
    """True when the cache lives in each process's memory while the portal
    runs as a service (DEBUG and DEMO off): then every gunicorn worker keeps
    its own login counters, and the login limits multiply by their number."""
    if settings.DEBUG or settings.DEMO:
        return False
    backend = settings.CACHES["default"]["BACKEND"]
    return backend in (
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    )


CACHE_WARNING = (
    "The cache is local to each process (no REDIS_URL): with several workers "
    "the login and access-code rate limits do not hold."
)
CACHE_HINT = "Set REDIS_URL so that all web workers share one cache."


@register(Tags.caches)
def check_shared_cache(app_configs, **kwargs):
    if not cache_is_per_process():
        return []
    return [Warning(CACHE_WARNING, hint=CACHE_HINT, id="portal.W003")]


def warn_if_cache_is_per_process():
    """The same warning in the log, for servers (gunicorn) that start without
    running the system checks."""
    if cache_is_per_process():
        logger.warning("portal.W003: %s %s", CACHE_WARNING, CACHE_HINT)


@register(Tags.security, deploy=True)
def check_demo_is_off(app_configs, **kwargs):
    if not settings.DEMO:
        return []
    return [
        Warning(
            "DEMO is on: staff MFA defaults to off and the site is set up for a demonstration.",
            hint="Unset DEMO in production.",
            id="portal.W004",
        )
    ]
