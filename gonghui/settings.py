"""Settings for gonghui, read from the environment (12-factor).

Every value that differs between a laptop, CI and production comes from an
environment variable with a safe default; a bad value fails loudly at start-up.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GONGHUI_VAR_DIR", BASE_DIR / "var"))


def keep_private(path: Path, mode: int) -> None:
    """Give ``path`` ``mode`` when this account owns it: the database, uploads and
    exports hold personal data that no other account on the machine may read."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return
    if status.st_uid == os.getuid() and status.st_mode & 0o777 != mode:
        path.chmod(mode)


VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
keep_private(VAR_DIR, 0o700)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept under var/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "gonghui.core",
    "gonghui.workdays",
    "gonghui.accounts",
    "gonghui.orgs",
    "gonghui.jobs",
    "gonghui.people",
    "gonghui.coverage",
    "gonghui.demo",
    "gonghui.needy",
    "gonghui.employment",
    "gonghui.counselling",
    "gonghui.aid",
    "gonghui.outreach",
    "gonghui.security",
    "gonghui.sms",
    "gonghui.inbox",
    "gonghui.portal",
    "gonghui.rights",
    "gonghui.contracts",
    "gonghui.congress",
    "gonghui.skills",
    "gonghui.competitions",
    "gonghui.studios",
    "gonghui.honours",
    "gonghui.library",
    "gonghui.study",
    "gonghui.activities",
    "gonghui.offers",
    "gonghui.stations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gonghui.security.middleware.RequestIdMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files keep their long cache; every other answer is not stored.
    "gonghui.core.security.PagePolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gonghui.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gonghui.accounts.middleware.SessionLimitsMiddleware",
    "gonghui.accounts.middleware.SignInRequirementsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gonghui.security.middleware.SecurityEventMiddleware",
    "gonghui.security.middleware.ChangeActorMiddleware",
    # Last, so that a lockout answers before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gonghui.urls"
WSGI_APPLICATION = "gonghui.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gonghui" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gonghui.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite in WAL mode is the embedded default; DATABASE_URL selects PostgreSQL.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'gonghui.sqlite3'}"
# A kept connection is checked before a request uses it, so one that PostgreSQL dropped
# (a restart) is replaced instead of failing the request (core/tests/test_fault_drills.py).
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}


def _database_is_local(database: dict) -> bool:
    """Whether a DATABASES entry is on this machine (SQLite, a socket, loopback)."""
    host = (database.get("HOST") or "").strip()
    loopback = ("", "localhost", "127.0.0.1", "::1")
    return database["ENGINE"].endswith("sqlite3") or host in loopback or host.startswith("/")


# DEBUG shows settings, SQL and local variables to whoever causes an error: never
# against a database on another machine, which would be a real one.
if DEBUG and not _database_is_local(DATABASES["default"]):
    raise ImproperlyConfigured(
        "DEBUG is on and DATABASE_URL points to another machine: DEBUG is only for a local "
        "database. Unset DEBUG, or use a local database."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Kept open between requests like PostgreSQL's (conn_max_age above): a connection
    # opened per request ran the PRAGMAs below each time, and the last one to close
    # checkpointed and deleted the WAL, so a page cost three times its own work
    # (bench/portal_home.py: 460 against 1,100 requests a second).
    _sqlite_file = Path(DATABASES["default"]["NAME"])
    if DATABASES["default"]["NAME"] != ":memory:":
        # Created empty (a valid empty database) with owner-only rights, which
        # SQLite gives its -wal and -shm files too.
        if not _sqlite_file.exists() and _sqlite_file.parent.is_dir():
            _sqlite_file.touch(mode=0o600)
        for _suffix in ("", "-wal", "-shm"):
            keep_private(_sqlite_file.with_name(_sqlite_file.name + _suffix), 0o600)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and one writer work at once; IMMEDIATE makes a
        # writing transaction take its lock up front instead of failing midway,
        # and busy_timeout makes a writer wait for the lock (up to 5 s) rather
        # than fail. Neither helps a connection that writes while one of its own
        # reads is still open: its snapshot may be stale, and SQLite answers
        # "database is locked" at once (SQLITE_BUSY_SNAPSHOT). Long reads that
        # write as they go (exports and their progress) therefore read in slices
        # that are finished before each write (core.exports.querysets_in_chunks).
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=5000;"
            "PRAGMA cache_size=-65536;"
            "PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts and sign-in ---------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out account before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, with each account's permissions kept between requests.
    "gonghui.accounts.backends.AccountBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "gonghui.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "first_name", "last_name", "email", "phone")},
    },
    {"NAME": "gonghui.accounts.passwords.PersonalDataValidator"},
    {"NAME": "gonghui.accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"depth": 5}},
]
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 180)

# Sign-in lockout (accounts.lockout.SignInLockoutHandler): 5 failures within 15
# minutes lock the account for 15 minutes, but only for browsers without a device
# cookie for it (OWASP device cookies); a browser with one is locked alone after
# 5 failures of its own. 20 failures from one address across all accounts lock
# that address for browsers without a device cookie: password spraying stops
# there, while an office behind one NAT address stays well clear of it.
AXES_HANDLER = "gonghui.accounts.lockout.SignInLockoutHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# What axes logs a failure by; the handler applies each count's own limit.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
SIGN_IN_ADDRESS_FAILURE_LIMIT = env_int("SIGN_IN_ADDRESS_FAILURE_LIMIT", 20)
SIGN_IN_DEVICE_COOKIE_DAYS = env_int("SIGN_IN_DEVICE_COOKIE_DAYS", 90)
# The client's address: REMOTE_ADDR, or behind this many reverse proxies the one the
# outermost saw in X-Forwarded-For. Behind a proxy it must be set, or every client
# shares the proxy's address and so the per-address limit.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "gonghui.accounts.lockout.client_address"
# The count is cleared when a sign-in passes every step, second factor included
# (accounts.services.sign_in_failures_reset), not at the password alone.
AXES_RESET_ON_SUCCESS = False
AXES_USE_ATTEMPT_EXPIRATION = True
# Wrong second-factor codes count as failures too; never store the code tried.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "gonghui.accounts.views.locked_out"
AXES_VERBOSE = False

# Idle timeout: the session lives 15 minutes; a signed-in user's requests renew it
# at most once a minute (accounts.middleware.SessionLimitsMiddleware), so that a page
# polled every second does not write the session every second.
# Django's database sessions, read by SQL written once (accounts/sessions.py).
SESSION_ENGINE = "gonghui.accounts.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 15) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 8)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "gonghui")

# A process seals the security log's hash chains at most this often; events written
# in between wait, unsealed, at most this long (``security.chain.seal_soon``).
SECURITY_SEAL_EVERY_SECONDS = float(os.environ.get("SECURITY_SEAL_EVERY_SECONDS", "1"))

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS, turned on where the site is served over it (README: Configuration).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)


def _proxy_ssl_header() -> tuple[str, str] | None:
    """SECURE_PROXY_SSL_HEADER as ``header,value`` (``X-Forwarded-Proto,https``): the
    header the reverse proxy sets, and always overwrites, on requests that came over HTTPS."""
    parts = env_list("SECURE_PROXY_SSL_HEADER", [])
    if not parts:
        return None
    if len(parts) != 2:
        raw = os.environ["SECURE_PROXY_SSL_HEADER"]
        raise ImproperlyConfigured(f"SECURE_PROXY_SSL_HEADER must be 'header,value', got {raw!r}")
    header, value = parts
    header = header.upper().replace("-", "_")
    return (header if header.startswith("HTTP_") else f"HTTP_{header}", value)


SECURE_PROXY_SSL_HEADER = _proxy_ssl_header()

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["gonghui.formats"]  # ISO dates in every language (gonghui/formats)
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "gonghui.core.storage.WholeFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Uploaded files live outside the web root and are served only through views;
# they hold personal data, so only the account running the site may read them.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_ROOT.mkdir(mode=0o700, exist_ok=True)
keep_private(MEDIA_ROOT, 0o700)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# --- Background tasks ---------------------------------------------------------
# One worker per queue (scripts/serve.sh): exports, which are short, have a queue
# of their own, so a long import on "default" never keeps them waiting.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "exports", "sms"],
    }
}
# A user may have one import running and this many more waiting (jobs.tasks.JobKind).
JOBS_MAX_QUEUED_PER_USER = env_int("JOBS_MAX_QUEUED_PER_USER", 2)

# --- Audit --------------------------------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False
# Change-history entries carry the request id (security.middleware.RequestIdMiddleware).
AUDITLOG_CID_GETTER = "gonghui.security.middleware.current_request_id"

# --- Console ------------------------------------------------------------------
PAGE_SIZE = 25
# Lists longer than this export in the background instead of in the request.
EXPORT_INLINE_MAX_ROWS = env_int("EXPORT_INLINE_MAX_ROWS", 5000)
# Union coverage (建会率) is counted over employers with at least this many employees.
COVERAGE_MIN_EMPLOYEES = env_int("COVERAGE_MIN_EMPLOYEES", 25)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # ID numbers, phones and secrets are masked in every record (core.security).
    "filters": {"redact": {"()": "gonghui.core.security.RedactingFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
DEFAULT_EXCEPTION_REPORTER_FILTER = "gonghui.core.security.RedactingExceptionReporterFilter"


# --- Text messages (gonghui.sms) -------------------------------------------------------
# Where text messages go: ConsoleBackend prints them (make run), FileBackend appends
# them to SMS_FILE_PATH (tests), HttpGatewayBackend posts them to a gateway
# (production; docs/sms.md describes the request it makes).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "gonghui.sms.backends.ConsoleBackend")
SMS_FILE_PATH = Path(os.environ.get("SMS_FILE_PATH", VAR_DIR / "sms.jsonl"))
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_KEY = os.environ.get("SMS_GATEWAY_KEY", "")
SMS_GATEWAY_TIMEOUT = env_int("SMS_GATEWAY_TIMEOUT", 10)
SMS_SIGNATURE = os.environ.get("SMS_SIGNATURE", "")

# --- The worker portal (gonghui.portal) ------------------------------------------------
PORTAL_SESSION_DAYS = env_int("PORTAL_SESSION_DAYS", 30)
