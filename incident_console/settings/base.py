"""Settings shared by every environment. The environment is read once, here."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "incident_console.lib",
    "incident_console.accounts",
    "incident_console.timeline",
    "incident_console.incidents",
    "incident_console.guidance",
    "incident_console.command",
    "incident_console.health",
    "incident_console.notifications",
    "incident_console.rotas",
    "incident_console.broadcasts",
    "incident_console.recovery",
    "incident_console.assessments",
    "incident_console.reports",
    "incident_console.contacts",
    "incident_console.closure",
    "incident_console.lessons",
    "incident_console.safeguarding",
    "incident_console.payments",
    "incident_console.priority_cases",
    "incident_console.continuity",
    "incident_console.bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "incident_console.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "incident_console.urls"
WSGI_APPLICATION = "incident_console.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "incident_console.accounts.context_processors.console",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'console.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "incidents:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock out a username *from one address*, so nobody can lock Gold out remotely.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes "not signed in" a 401, not a 403.
        "incident_console.accounts.authentication.ApiTokenAuthentication",
        "incident_console.accounts.authentication.TwoFactorSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "incident_console.lib.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"token": env.str("TOKEN_THROTTLE_RATE", default="10/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Incident command console API",
    "DESCRIPTION": "Incidents, guidance modules and checklists for a council's cyber incident response.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "incident_console.lib.api.document_error_responses",
    ],
    # Swagger UI is served from our own static files, never a CDN.
    "ENUM_NAME_OVERRIDES": {
        "IncidentStatusEnum": "incident_console.incidents.models.Status",
        "ItemStatusEnum": "incident_console.guidance.models.ItemStatus",
        "TierEnum": "incident_console.lib.choices.Tier",
        "RiskStatusEnum": "incident_console.command.models.RiskStatus",
        "RhythmKindEnum": "incident_console.command.models.RhythmKind",
        "ShiftSourceEnum": "incident_console.rotas.serializers.SHIFT_SOURCES",
        "ReportDecisionEnum": "incident_console.assessments.models.ReportDecision",
        "ServiceEnum": "incident_console.lib.choices.Service",
        "SystemKindEnum": "incident_console.recovery.models.SystemKind",
        "SystemStateEnum": "incident_console.recovery.models.SystemState",
        "PdfJobStateEnum": "incident_console.reports.models.JobState",
        "SitrepStatusEnum": "incident_console.reports.models.SitrepStatus",
        "CommsAudienceEnum": "incident_console.reports.models.Audience",
        "BroadcastAudienceEnum": "incident_console.broadcasts.models.Audience",
        "ContactCategoryEnum": "incident_console.lib.choices.ContactCategory",
        "LessonStatusEnum": "incident_console.lessons.models.LessonStatus",
        "LessonCategoryEnum": "incident_console.lessons.models.LessonCategory",
        "SafeguardingKindEnum": "incident_console.safeguarding.models.Kind",
        "DeadlineStatusEnum": "incident_console.safeguarding.models.DeadlineStatus",
        "PaymentStateEnum": "incident_console.payments.models.PaymentState",
        "BankChangeStateEnum": "incident_console.payments.models.ChangeState",
        "PaymentMethodEnum": "incident_console.payments.models.PaymentMethod",
        "ReceivedViaEnum": "incident_console.payments.models.ReceivedVia",
        "CallBackOutcomeEnum": "incident_console.payments.models.CallBackOutcome",
        "KnownNumberSourceEnum": "incident_console.payments.models.KnownNumberSource",
        "PayeeTypeEnum": "incident_console.payments.models.PayeeType",
        "NotificationMethodEnum": "incident_console.recovery.models.Method",
        "PriorityCaseStatusEnum": "incident_console.priority_cases.models.CaseStatus",
        "PriorityContactResultEnum": "incident_console.priority_cases.models.ContactResult",
        "ManualRecordStateEnum": "incident_console.continuity.models.RecordState",
        "ManualActivityEnum": "incident_console.continuity.models.Activity",
        # Manual records and priority cases share one set: adult or children's social care.
        "SocialCareServiceEnum": "incident_console.priority_cases.models.CaseService",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Celery. The embedded default is a filesystem broker so `make run` needs no Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=env.str("REDIS_URL", default="filesystem://"))
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith("filesystem"):
    _broker_dir = Path(env.str("CELERY_FILESYSTEM_DIR", default=str(VAR_DIR / "broker")))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Reminders are rows; this sweep finds what is due, escalates it and queues the sends.
    "notifications-sweep": {
        "task": "notifications.sweep",
        "schedule": env.float("REMINDER_SWEEP_SECONDS", default=60.0),
    },
    # PDF renders are job rows; this sweep queues any the broker lost and retries stale ones.
    "reports-sweep": {
        "task": "reports.sweep",
        "schedule": env.float("PDF_SWEEP_SECONDS", default=30.0),
    },
    # A grab pack for every live incident with none made in GRAB_PACK_REFRESH_HOURS, so a recent
    # copy exists when the network goes. A short sweep, not a daily timer: beat's own schedule file
    # is lost on redeploy, and the database says which incidents are due.
    "grab-pack-refresh": {
        "task": "reports.refresh_grab_packs",
        "schedule": env.float("GRAB_PACK_SWEEP_SECONDS", default=15 * 60.0),
    },
    # Archive exports are job rows too; the same kind of sweep.
    "closure-sweep": {
        "task": "closure.sweep",
        "schedule": env.float("ARCHIVE_SWEEP_SECONDS", default=60.0),
    },
}

# Rendered PDFs live outside the web root and are served only through an access check.
PDF_STORAGE_DIR = Path(env.str("PDF_STORAGE_DIR", default=str(VAR_DIR / "pdfs")))
# A PDF render not finished after this many seconds is taken to have died with its worker; the
# sweep queues it again.
PDF_LEASE_SECONDS = env.int("PDF_LEASE_SECONDS", default=300)
# A live incident's general grab pack is made afresh once the newest is older than this.
GRAB_PACK_REFRESH_HOURS = env.int("GRAB_PACK_REFRESH_HOURS", default=24)
# Declaring an incident queues its first grab pack at once (otherwise the next sweep makes it).
GRAB_PACK_ON_DECLARE = env.bool("GRAB_PACK_ON_DECLARE", default=True)
# Archive exports of closed incidents (ZIPs), likewise outside the web root.
ARCHIVE_STORAGE_DIR = Path(env.str("ARCHIVE_STORAGE_DIR", default=str(VAR_DIR / "archives")))
# Scans and photos of paper forms (manual records): outside the web root, never under MEDIA_URL,
# served only through an access-checked view.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
MANUAL_RECORD_MAX_UPLOAD_BYTES = env.int("MANUAL_RECORD_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
# How long a real incident's records are kept after it closes, unless the council sets its own.
RETENTION_DAYS_DEFAULT = env.int("RETENTION_DAYS_DEFAULT", default=6 * 365 + 2)

OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Incident command console")

CONSOLE_SERVICE_NAME = env.str("CONSOLE_SERVICE_NAME", default="Incident command console")
# The console's own address, for links in email and SMS.
CONSOLE_URL = env.str("CONSOLE_URL", default="http://127.0.0.1:8000")

# Reminders and escalation (notifications app; see docs/operations.md "Reminders").
REMINDER_LEAD_MINUTES = env.int("REMINDER_LEAD_MINUTES", default=60)
ESCALATE_AFTER_MINUTES = env.int("ESCALATE_AFTER_MINUTES", default=30)
RHYTHM_LEAD_MINUTES = env.int("RHYTHM_LEAD_MINUTES", default=15)
HANDOVER_ACKNOWLEDGE_MINUTES = env.int("HANDOVER_ACKNOWLEDGE_MINUTES", default=30)
# A safeguarding deadline reminds its owner this long before it falls due.
SAFEGUARDING_LEAD_HOURS = env.int("SAFEGUARDING_LEAD_HOURS", default=24)
SHIFT_LEAD_MINUTES = env.int("SHIFT_LEAD_MINUTES", default=60)
# The lead and Gold are reminded of a handover from response to recovery nobody has taken on.
RECOVERY_HANDOVER_ACKNOWLEDGE_HOURS = env.int("RECOVERY_HANDOVER_ACKNOWLEDGE_HOURS", default=4)
# How long before a priority case's next contact falls due its owner is reminded.
PRIORITY_CONTACT_LEAD_MINUTES = env.int("PRIORITY_CONTACT_LEAD_MINUTES", default=60)
# Whoever recorded a bank-detail change, and Silver, are reminded while it is undecided this long.
BANK_CHANGE_REMINDER_HOURS = env.int("BANK_CHANGE_REMINDER_HOURS", default=4)
# A staff broadcast asks again this many times (one escalation wait apart) until acknowledged.
BROADCAST_CHASES = env.int("BROADCAST_CHASES", default=3)
DELIVERY_LEASE_SECONDS = env.int("DELIVERY_LEASE_SECONDS", default=120)
# Key contacts not verified within this many days are flagged "needs checking".
CONTACT_VERIFY_DAYS = env.int("CONTACT_VERIFY_DAYS", default=90)
ACKNOWLEDGEMENT_LINK_MAX_AGE = env.int("ACKNOWLEDGEMENT_LINK_MAX_AGE_SECONDS", default=7 * 24 * 3600)
# "console" writes SMS to the log; "notify" sends through GOV.UK Notify.
NOTIFICATIONS_SMS_BACKEND = env.str("NOTIFICATIONS_SMS_BACKEND", default="console")
# "django" uses EMAIL_BACKEND; "notify" sends through GOV.UK Notify.
NOTIFICATIONS_EMAIL_BACKEND = env.str("NOTIFICATIONS_EMAIL_BACKEND", default="django")
NOTIFY_BASE_URL = env.str("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
# One Notify service per council: "northgate=key-…,southmoor=key-…" (council slug = API key).
NOTIFY_API_KEYS: dict[str, str] = env.dict("NOTIFY_API_KEYS", default={})
NOTIFY_SMS_TEMPLATE_ID = env.str("NOTIFY_SMS_TEMPLATE_ID", default="")
NOTIFY_EMAIL_TEMPLATE_ID = env.str("NOTIFY_EMAIL_TEMPLATE_ID", default="")
MODULES_DIR = Path(env.str("MODULES_DIR", default=str(BASE_DIR / "modules")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every layout step at INFO; its warnings (unsupported CSS) still show.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

from .security import *  # noqa: E402, F403
