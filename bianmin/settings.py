"""Django settings for bianmin, read from the environment with safe local defaults.

Every setting a deployment may change is a ``BIANMIN_*`` environment variable:

- ``BIANMIN_DATABASE_URL``  PostgreSQL in production (``postgres://user:pass@host:5432/db``).
  Unset: SQLite in WAL mode under ``var/``.
- ``BIANMIN_PRODUCTION``    ``1`` turns on the production mode (no debug, secure cookies, HSTS);
  ``manage.py check --deploy`` is clean in that mode.
- ``BIANMIN_SECRET_KEY``    required in production.
- ``BIANMIN_DATA_KEY``      32 hex digits: the SM4 key for personal data at rest.
- ``BIANMIN_LOOKUP_KEY``    hex: the HMAC-SM3 key for the search digests of personal data.
- ``BIANMIN_ALLOWED_HOSTS`` comma separated.
- ``BIANMIN_VAR_DIR``       where SQLite, uploads and logs live (default ``./var``).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
# In a source checkout var/ sits beside pyproject.toml wherever a command runs from; an installed
# package uses ./var of the working directory.
_CHECKOUT = BASE_DIR.parent if (BASE_DIR.parent / "pyproject.toml").exists() else Path.cwd()
VAR_DIR = Path(os.environ.get("BIANMIN_VAR_DIR", _CHECKOUT / "var")).resolve()


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PRODUCTION = env_flag("BIANMIN_PRODUCTION")
DEBUG = env_flag("BIANMIN_DEBUG", default=not PRODUCTION)

_DEV_SECRET = "bianmin-local-development-key-not-for-production-use-0123456789"
SECRET_KEY = os.environ.get("BIANMIN_SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and len(SECRET_KEY) < 50:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("BIANMIN_SECRET_KEY must be set (50+ characters) in production")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get(
        "BIANMIN_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1],testserver"
    ).split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("BIANMIN_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "bianmin.core",
    "bianmin.workdays",
    "bianmin.org",
    "bianmin.identity",
    "bianmin.catalog",
    "bianmin.hall",
    "bianmin.queueing",
    "bianmin.cases",
    "bianmin.feedback",
    "bianmin.portal",
    "bianmin.supervision",
    "bianmin.staffing",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "bianmin.identity.middleware.AuthenticationMiddleware",
    "bianmin.common.middleware.MessageMiddleware",  # not on /api/ (see the module)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "bianmin.urls"
ASGI_APPLICATION = "bianmin.asgi.application"
WSGI_APPLICATION = "bianmin.wsgi.application"

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
                "bianmin.core.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# SQLite in WAL mode with a busy timeout is the embedded default: one file under var/, no server.
# PostgreSQL (BIANMIN_DATABASE_URL) is the production database; the test suite runs on both.
_database_url = os.environ.get("BIANMIN_DATABASE_URL", "").strip()
if _database_url:
    # Under ASGI each request may run in a thread of its own, so Django's kept connections
    # (CONN_MAX_AGE) would pile up until PostgreSQL refuses clients; and a new connection per
    # request costs PostgreSQL a process fork (about 15 ms of CPU). So each app process keeps a
    # pool (psycopg_pool, Django 5.1+): a request borrows a connection and gives it back at its
    # end. BIANMIN_DB_POOL_SIZE caps it per process (workers × size must stay under PostgreSQL's
    # max_connections, 100 by default); BIANMIN_DB_POOL=0 turns it off (e.g. behind PgBouncer).
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=0)}
    # Each test run creates its own test database, so that two runs against one PostgreSQL
    # (a developer's and CI's, or two branches) never drop each other's tables.
    DATABASES["default"].setdefault("TEST", {}).setdefault(
        "NAME", f"test_{DATABASES['default']['NAME']}_{os.getpid()}"
    )
    # Parameters bound on the server and statements prepared after a few runs on a connection
    # (psycopg's prepare_threshold): PostgreSQL then skips parsing and planning a statement it
    # has seen, which was most of its work per request (docs/benchmarks.md). The pooled
    # connections keep their prepared statements. BIANMIN_DB_PREPARE=0 turns it off (e.g.
    # behind PgBouncer in transaction mode).
    if os.environ.get("BIANMIN_DB_PREPARE", "1") != "0":
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": 2}
        )
    if os.environ.get("BIANMIN_DB_POOL", "1") != "0":
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 2,
            "max_size": int(os.environ.get("BIANMIN_DB_POOL_SIZE", "24")),
            "timeout": 30,
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("BIANMIN_SQLITE_PATH", str(VAR_DIR / "bianmin.sqlite3")),
            "OPTIONS": {
                # Django 5.1+: applied to every new connection. WAL lets readers run beside the
                # one writer; IMMEDIATE transactions take the write lock up front, so two
                # writers queue on busy_timeout instead of failing half-way (the queue relies on it).
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Identity -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "identity.User"
AUTHENTICATION_BACKENDS = ["bianmin.identity.backends.LockoutBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "identity:login"

# Lockout: this many failed logins for one account within the window lock it for the window.
BIANMIN_LOCKOUT_ATTEMPTS = int(os.environ.get("BIANMIN_LOCKOUT_ATTEMPTS", "5"))
BIANMIN_LOCKOUT_MINUTES = int(os.environ.get("BIANMIN_LOCKOUT_MINUTES", "15"))

# Idle timeout: a session expires after this many seconds without activity (30 minutes by
# default). Activity renews it, but the session row is written at most once a minute
# (SESSION_RENEW_AFTER, see bianmin.identity.sessions), not on every request.
SESSION_COOKIE_AGE = int(os.environ.get("BIANMIN_IDLE_TIMEOUT_SECONDS", str(30 * 60)))
SESSION_ENGINE = "bianmin.identity.sessions"
SESSION_RENEW_AFTER = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Personal data keys. The defaults are for local development and tests only; production refuses
# to start without its own keys (see bianmin.identity.crypto).
BIANMIN_DATA_KEY = os.environ.get(
    "BIANMIN_DATA_KEY", "" if PRODUCTION else "00112233445566778899aabbccddeeff"
)
BIANMIN_LOOKUP_KEY = os.environ.get(
    "BIANMIN_LOOKUP_KEY", "" if PRODUCTION else "6c6f63616c2d6c6f6f6b75702d6b6579"
)

# --- Language and time --------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files (WhiteNoise serves them from the ASGI process) -------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]  # site-wide CSS and vendored JS; apps keep their own
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # also creates VAR_DIR for SQLite and uploads
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# --- Production hardening (manage.py check --deploy is clean with BIANMIN_PRODUCTION=1) ---------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("BIANMIN_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- Logging: personal data never reaches a log line unmasked (bianmin.identity.logging) ------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "bianmin.identity.masking.MaskPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["mask_personal_data"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("BIANMIN_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
