"""Settings for 地域協働ポータル, read from the environment.

With nothing set, the portal runs on the embedded default: an SQLite file,
celery tasks executed inline, mail printed to the console and a local-memory
cache. Setting DATABASE_URL and REDIS_URL moves it onto PostgreSQL, a Redis
cache and real celery workers with Redis as the broker.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# The demo city (`make demo`): production-like pages (DEBUG off, the portal's
# own 404 and 500 pages) with the conveniences a demonstration needs.
DEMO = env.bool("DEMO", default=False)

# An unset key is only acceptable on a developer's machine; the deploy check
# (portal/checks.py) refuses it and `check --deploy` says so.
SECRET_KEY = env("SECRET_KEY", default="")
SECRET_KEY_IS_DEFAULT = not SECRET_KEY
if SECRET_KEY_IS_DEFAULT:
    SECRET_KEY = "django-insecure-embedded-default-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "portal",
    "areas",
    "liaisons",
    "meetings",
    "surveys",
    "grants",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # django-import-export is used as a library (grants' and liaisons'
    # resources), not installed as an app: the admin would import its admin
    # mixins at every start-up, and with them openpyxl, numpy and Pillow
    # (0.3 s, 23 MB), for admin pages the portal does not have.
    "csp",
]

MIDDLEWARE = [
    "portal.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "portal.middleware.RejectInvalidCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.locale.JapaneseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.permissions.PermissionMemoMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.StaffIdleTimeoutMiddleware",
    "portal.middleware.StaffMFAMiddleware",
    "portal.middleware.StorageFullMiddleware",
]

ROOT_URLCONF = "portal.urls"
# Widget templates live in templates/components/widgets/.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
            "builtins": ["portal.templatetags.wareki"],
        },
    },
]

# --- Database -------------------------------------------------------------
SQLITE_PATH = env.path("SQLITE_PATH", default=BASE_DIR / "var" / "portal.sqlite3")
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
USING_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# A server that accepts connections but never answers must not hold a worker
# (or the health check) for long.
DB_CONNECT_TIMEOUT = env.int("DB_CONNECT_TIMEOUT", default=5)
# Milliseconds the /healthz query may take before the check answers 503.
HEALTHZ_QUERY_TIMEOUT_MS = env.int("HEALTHZ_QUERY_TIMEOUT_MS", default=3000)
if USING_POSTGRESQL:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
else:
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE: a write transaction takes SQLite's write lock at its start,
    # so check-then-write services serialise on the embedded default too.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, celery --------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Answers as an empty cache while Redis is away (portal/cache.py).
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # Sessions read from the shared cache, written through to the database:
    # one query fewer on every signed-in page, nothing lost if Redis restarts.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
# Without a broker the same tasks run inline, in the web process.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_STORE_EAGER_RESULT = True
# Jobs and mail keep their state in the database; nothing reads task results.
# Ignoring them also keeps a request that queues a task from waiting on an
# unreachable result store (the broker being down is then reported at once).
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A task whose whole worker process is lost (killed, out of memory, host gone)
# is delivered again by Redis after this many seconds unacknowledged. It must
# stay longer than the longest job, or a job still running is started twice
# (docs/operations.md).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT_SECONDS", default=60 * 60)
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TRACK_STARTED = True
CELERY_RESULT_EXTENDED = True
CELERY_TIMEZONE = "Asia/Tokyo"
# The beat schedule is in portal/celery.py: celery's crontab costs 0.15 s to
# import, and these settings load at every start-up.

# --- Mail -----------------------------------------------------------------
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if env("EMAIL_HOST", default="")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="地域協働ポータル <noreply@example.jp>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Accounts -------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
# Django's and allauth's backends, reading the user and their roles in one
# query (portal/auth_backends.py).
AUTHENTICATION_BACKENDS = [
    "portal.auth_backends.ModelBackend",
    "portal.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "portal.forms.SignupForm"
ACCOUNT_FORMS = {"signup": "portal.signup.SignupForm"}
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
# A sign-up with a known address mails its owner instead of saying so.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[地域協働ポータル] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if env.bool("HTTPS", default=False) else "http"
# Failed logins are limited per address and per account (allauth keeps the
# counters in the cache, so production needs the shared Redis cache).
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("LOGIN_RATE_LIMIT", default="10/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="地域協働ポータル")
# Staff roles that can see personal data must have TOTP set up before they
# can use the portal. On by default; the demo (DEMO, or DEBUG on a developer's
# machine) turns it off so that the demo accounts work at once.
REQUIRE_STAFF_MFA = env.bool("REQUIRE_STAFF_MFA", default=not (DEBUG or DEMO))

# --- Language, time -------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Hashed, compressed static files once `collectstatic` has run (the Docker
# image does it at build time); before that, files are served from the apps'
# static folders so that the embedded default works straight from a checkout.
STATICFILES_MANIFEST = env.bool(
    "STATICFILES_MANIFEST", default=(Path(STATIC_ROOT) / "staticfiles.json").exists()
)
# Uploads only the portal reads (import files, attachments): outside
# MEDIA_ROOT, never served by URL, read back through checked views only.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATICFILES_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATICFILES_MANIFEST
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Security -------------------------------------------------------------
# HTTPS=true behind TLS turns on redirects, secure cookies and HSTS together.
HTTPS = env.bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# With HTTPS the browser keeps these only as secure, host-only cookies for
# the whole site (no subdomain or plain-HTTP page can set or shadow them).
if HTTPS:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
# Both reach beyond the portal (every host under the domain; browsers'
# built-in lists, slow to leave), so the city opts in to them deliberately.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# `check --deploy` recommends both; leaving them off is the choice above.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
# Staff (and reviewers once assigned an application) are signed out after
# this many minutes without a request; 0 turns it off. Residents keep the
# session above.
STAFF_IDLE_TIMEOUT_MINUTES = env.int("STAFF_IDLE_TIMEOUT_MINUTES", default=30)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page of the portal uses, turned off for every page
# (and for anything a page might embed): portal.middleware.PermissionsPolicyMiddleware.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), "
    "usb=(), xr-spatial-tracking=()"
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Portal ---------------------------------------------------------------
PORTAL_CITY_NAME = env("PORTAL_CITY_NAME", default="架空市")
# 都道府県名 for open data (empty: left blank in the datasets).
PORTAL_PREFECTURE_NAME = env("PORTAL_PREFECTURE_NAME", default="東京都")
# The portal's public address, for links in mails, letters and QR codes.
PORTAL_BASE_URL = (env("PORTAL_BASE_URL", default="") or "http://127.0.0.1:8000").rstrip("/")
# 全国地方公共団体コード (6 digits with check digit), used by open-data exports.
PORTAL_CITY_CODE = env("PORTAL_CITY_CODE", default="139998")
AUDIT_LOG_PAGE_SIZE = 50
# Refuse to write an audit row whose action code no app registered (see
# portal/audit.py); otherwise the row is written and the omission logged.
# On under DEBUG and in the tests.
AUDIT_REFUSE_UNREGISTERED_ACTIONS = env.bool("AUDIT_REFUSE_UNREGISTERED_ACTIONS", default=DEBUG)
# How long a service waits for a row lock before telling the user "busy".
LOCK_TIMEOUT_SECONDS = env.float("LOCK_TIMEOUT_SECONDS", default=5)
# The fewest survey answers added to the answer tables at once (and kept
# back until the survey closes): the smallest crowd an answer hides in.
SURVEYS_ANSWER_BATCH = env.int("SURVEYS_ANSWER_BATCH", default=5)

# --- Grants ---------------------------------------------------------------
# Largest attachment an applicant may upload, in bytes.
GRANTS_MAX_ATTACHMENT_BYTES = env.int("GRANTS_MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024)

# --- Surveys --------------------------------------------------------------
# Resident registers are purged this many days after their surveys closed.
SURVEYS_PURGE_AFTER_DAYS = env.int("SURVEYS_PURGE_AFTER_DAYS", default=90)
# Volunteers' names and contacts are erased this many days after their meetings.
SURVEYS_VOLUNTEER_PURGE_AFTER_DAYS = env.int(
    "SURVEYS_VOLUNTEER_PURGE_AFTER_DAYS", default=SURVEYS_PURGE_AFTER_DAYS
)
# The address window of the 長形3号 envelope, in millimetres from the sheet's
# top left; envelope makers differ, so any of the four may be given,
# e.g. SURVEYS_LETTER_WINDOW_MM=x=20,y=12.
SURVEYS_LETTER_WINDOW_MM = {
    "x": 23,
    "y": 14,
    "width": 90,
    "height": 45,
    # (env.dict's float cast would read "20.5,y=12" as one number.)
    **{k: float(v) for k, v in env.dict("SURVEYS_LETTER_WINDOW_MM", default={}).items()},
}
# Worker processes laying out a large draw's letters (0: the CPU cores this
# process may use, at most 4).
SURVEYS_LETTER_PROCESSES = env.int("SURVEYS_LETTER_PROCESSES", default=0)

# One console handler, on the root logger. Django's own "django" logger also
# prints to the console under DEBUG, which showed every record twice: it is
# given no console handler of its own here and lets records reach the root.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "forbidden_without_traceback": {"()": "portal.logs.ForbiddenWithoutTraceback"},
        "scrub_secrets": {"()": "portal.logs.ScrubSecrets"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        "django.request": {"filters": ["forbidden_without_traceback", "scrub_secrets"]},
        # runserver's request lines; gunicorn's access log scrubs them with
        # its logger class (portal.logs.AccessLogger, set in the Dockerfile).
        "django.server": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
            "filters": ["scrub_secrets"],
        },
        "django.db.backends": {"level": "WARNING"},
    },
}
