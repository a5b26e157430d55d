"""Settings for Koproduktion, all read from the environment.

Without DATABASE_URL the project runs in its embedded local mode: an SQLite file in the
project folder, Celery tasks executed eagerly in-process, emails printed to the console and
DEBUG on. Production sets DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY, ALLOWED_HOSTS and the
email settings; README.md lists every variable.
"""
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
LOCAL_MODE = "DATABASE_URL" not in env

DEBUG = env.bool("DEBUG", default=LOCAL_MODE)
if DEBUG or LOCAL_MODE:
    SECRET_KEY = env("SECRET_KEY", default="local-development-key-not-for-production-use-0123456789")
else:
    SECRET_KEY = env("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The public address in emails and calendar feeds; `make run HOST=…` sets it to the address it
# serves. The platform's name greets people in the account emails (coproduction.sites).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
SITE_NAME = env("SITE_NAME", default="Koproduktion")

INSTALLED_APPS = [
    # The core: knows no feature app.
    "coproduction",
    "stakeholders",
    "notifications",
    # Feature apps, each after the apps it builds on; they plug into the core through their
    # contract modules (see coproduction.contracts).
    "proposals",
    "budgets",
    "volunteering",
    "wiki",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    # The load-and-fault run (manage.py load_and_faults) builds on every app above.
    "loadtest",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "coproduction.middleware.AnswerDatabaseOutages",
    "coproduction.middleware.RefuseUnknownMethods",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "coproduction.middleware.refuse_nul_bytes",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "coproduction.urls"
WSGI_APPLICATION = "coproduction.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if LOCAL_MODE else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# A Redis cache that is down acts as an empty one instead of failing pages (coproduction.cache).
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "coproduction.cache.RedisCacheSurvivingOutages"

AUTH_USER_MODEL = "stakeholders.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

SITE_ID = 1
ACCOUNT_ADAPTER = "stakeholders.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "stakeholders.forms.SignupDetailsForm"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Koproduktion] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Failed sign-ins count per network address, per email address from one network address, and, more
# slowly, per email address from anywhere (the reasons are in stakeholders.adapter).
ACCOUNT_RATE_LIMITS = {
    "login": env("RATE_LIMIT_LOGIN", default="30/m/ip"),  # every sign-in, right or wrong
    "login_failed": env("RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "login_failed_address": env("RATE_LIMIT_LOGIN_FAILED_ADDRESS", default="30/h/key"),
    "signup": env("RATE_LIMIT_SIGNUP", default="20/m/ip"),
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
# locale/ holds the site's own texts (makemessages keeps it); locale_allauth/ holds German for
# allauth's texts where allauth's own catalogue says "du" (the site says "Sie"). Both come before
# every app's catalogue, and share no message, so their order among themselves does not matter.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_allauth"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Uploaded pictures are served by Django itself from MEDIA_ROOT only where nothing else does
# (local mode, DEBUG); in production a web server or the object storage serves them.
MEDIA_SERVE = env.bool("MEDIA_SERVE", default=LOCAL_MODE or DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# With MEDIA_S3_BUCKET set, uploads go to S3-compatible object storage through django-storages
# (install requirements-s3.txt); credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
# Pictures have random names and are public, so their addresses are plain, unsigned and cached for long.
if "MEDIA_S3_BUCKET" in env:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("MEDIA_S3_BUCKET"),
            "endpoint_url": env("MEDIA_S3_ENDPOINT_URL", default=None),
            "region_name": env("MEDIA_S3_REGION", default=None),
            "custom_domain": env("MEDIA_S3_CUSTOM_DOMAIN", default=None),
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": env("MEDIA_S3_ACL", default=None),
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }

# Pictures (coproduction.images): the largest upload, and the most pixels a picture may unpack to.
IMAGES_MAX_UPLOAD_BYTES = env.int("IMAGES_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
IMAGES_MAX_PIXELS = env.int("IMAGES_MAX_PIXELS", default=40_000_000)

if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Koproduktion <noreply@koproduktion.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Operators", address) for address in env.list("ADMIN_EMAILS", default=[])]

# Celery: a Redis broker in production; without one, tasks run eagerly in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
# A task taken by a worker that dies with it (killed with its pool, a lost machine) goes to another worker
# once it has been unacknowledged this long, in seconds; the workers look for such tasks every ten seconds.
# Tasks that run longer than this are handed out twice, which the notification tasks allow for (their
# Delivery rows decide what is still to send).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}

# Notification digests go out at this local hour (TIME_ZONE), weekly ones on this weekday.
NOTIFICATIONS_DIGEST_HOUR = env.int("NOTIFICATIONS_DIGEST_HOUR", default=7)
NOTIFICATIONS_WEEKLY_DAY = env("NOTIFICATIONS_WEEKLY_DAY", default="monday").lower()
NOTIFICATIONS_DIGEST_MAX_ITEMS = env.int("NOTIFICATIONS_DIGEST_MAX_ITEMS", default=25)
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", default=200)
# How many messages to groups one organisation may send in 24 hours.
NOTIFICATIONS_MESSAGES_PER_DAY = env.int("NOTIFICATIONS_MESSAGES_PER_DAY", default=10)

# The one beat schedule: run exactly one `celery beat` next to any number of workers.
CELERY_BEAT_SCHEDULE = {
    "volunteering-offers-expire": {"task": "volunteering.offers_expire", "schedule": 60.0},
    "volunteering-reminders-due": {"task": "volunteering.reminders_due", "schedule": 15 * 60.0},
    "notifications-daily-digest": {
        "task": "notifications.digests", "args": ("daily",),
        "schedule": crontab(minute=0, hour=NOTIFICATIONS_DIGEST_HOUR),
    },
    "notifications-weekly-digest": {
        "task": "notifications.digests", "args": ("weekly",),
        "schedule": crontab(minute=0, hour=NOTIFICATIONS_DIGEST_HOUR, day_of_week=NOTIFICATIONS_WEEKLY_DAY[:3]),
    },
    "notifications-sweep": {"task": "notifications.sweep", "schedule": 5 * 60.0},
    "budgets-phases-advance": {"task": "budgets.phases_advance", "schedule": 5 * 60.0},
    "coproduction-pictures-sweep": {"task": "coproduction.pictures_sweep", "schedule": crontab(minute=30, hour=3)},
    "proposals-answer-times": {"task": "proposals.answer_times_refresh", "schedule": crontab(minute=15, hour=3)},
}
# Hours a person on a waitlist has to confirm a freed place before it moves on to the next.
VOLUNTEERING_OFFER_HOURS = env.int("VOLUNTEERING_OFFER_HOURS", default=24)

# The open data API (/api/v1/) is read-only and publishes only what every visitor may see: it
# ignores sign-ins, so a member's or operator's session never widens what it returns, and every
# caller is limited per address.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # People read the documentation at /api/; the endpoints answer in JSON only.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "coproduction.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "coproduction.api.base.Schema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env("API_RATE_LIMIT", default="120/minute")},
    # Behind a load balancer set NUM_PROXIES to the number of proxies that append X-Forwarded-For;
    # 0 counts the connecting address, which a client cannot forge.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Koproduktion open data API",
    "DESCRIPTION": "Public, read-only data about organisations, calls for ideas, proposals and their "
                   "co-production mode, participatory budgets and their results, volunteering tasks and "
                   "shifts and public wiki pages. No personal data.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ProposalStatusEnum": "proposals.models.Proposal.Status",
        "ImplementationStatusEnum": "proposals.models.Implementation.Status",
        "TaskStatusEnum": "volunteering.models.Task.Status",
    },
}

# Content Security Policy on every response, the back office's too: scripts, styles, pictures and
# fonts come from this site only, nothing inline (no <script> or <style> blocks, no style="" or
# on...="" attributes), no plugins, no <base>, no framing, forms post only here. Pictures uploaded to
# object storage come from its address, or from CSP_IMG_SRC when a CDN serves them.
_media_origins = env.list("CSP_IMG_SRC", default=[])
if "MEDIA_S3_BUCKET" in env:
    _media_origins += [f"https://{env('MEDIA_S3_CUSTOM_DOMAIN')}" if "MEDIA_S3_CUSTOM_DOMAIN" in env
                       else env("MEDIA_S3_ENDPOINT_URL", default=f"https://{env('MEDIA_S3_BUCKET')}.s3.amazonaws.com")]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, *_media_origins],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Powerful browser features the site never uses are off for it and anything it might embed.
PERMISSIONS_POLICY = {feature: [] for feature in [
    "accelerometer", "autoplay", "bluetooth", "camera", "display-capture", "encrypted-media", "fullscreen",
    "geolocation", "gyroscope", "hid", "idle-detection", "magnetometer", "microphone", "midi", "payment",
    "picture-in-picture", "publickey-credentials-get", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
]}

# Security: strict whenever DEBUG is off; a proxy in front of gunicorn terminates TLS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The language cookie is treated like the session's: no script reads it, and it does not travel with
# requests that other sites start.
LANGUAGE_COOKIE_HTTPONLY = SESSION_COOKIE_HTTPONLY
LANGUAGE_COOKIE_SAMESITE = SESSION_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
