"""Quire's one settings file, driven by environment variables.

Every setting has a default that works on a fresh laptop (SQLite under var/, local-memory
cache); production sets DATABASE_URL, REDIS_URL, SECRET_KEY and ALLOWED_HOSTS. See .env.example.
"""

import contextlib
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def _load_dotenv(path: Path) -> None:
    """Read KEY=VALUE lines from .env into the environment; real environment variables win."""
    if not path.is_file():
        return
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            os.environ.setdefault(key.strip(), value.strip().strip("'\""))


_load_dotenv(BASE_DIR / ".env")


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("QUIRE_DATA_DIR") or BASE_DIR / "var").resolve()
# The database, the secret key and uploads live here: readable by the archive's user only.
# Only a directory made here is narrowed; one an admin made keeps the mode they chose.
if not DATA_DIR.exists():
    DATA_DIR.mkdir(parents=True, mode=0o700)
    DATA_DIR.chmod(0o700)  # mkdir's mode is filtered by the umask


def _private_file(path: Path) -> Path:
    """Create `path` empty, readable and writable by its owner only, unless it exists. Made
    with that mode from the start, so there is no moment when others could open it."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path


def _secret_key() -> str:
    """SECRET_KEY from the environment, else a key generated once and kept in the data dir.

    A generated file (rather than a constant) means no two installs share a key and restarts
    keep sessions valid.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        _private_file(path).write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = os.environ.get("QUIRE_SITE_NAME", "Quire")
# The archive's public address, for absolute links inside downloads ("Posted originally on
# the <site name> at <work URL>") and in e-mail; read through quire.lib.site.site_url. Unset,
# it is the address of the request being served, else http://127.0.0.1:PORT (`make run`).
SITE_URL = os.environ.get("QUIRE_SITE_URL", "").rstrip("/")
PORT = int(os.environ.get("PORT") or 8000)
# How long a proxy may keep a guest's work page (Cache-Control max-age), and how long an app
# process keeps one in memory. Changes expire Quire's own copies at once (works/pagecache.py).
GUEST_PAGE_TTL = int(os.environ.get("QUIRE_GUEST_PAGE_TTL", "60"))
# Hits wait in a buffer table; a flush task adds them to the counts at most this often (0: never
# queued on its own; `manage.py flush_hits` still does it).
HITS_FLUSH_SECONDS = int(os.environ.get("QUIRE_HITS_FLUSH_SECONDS", "300"))
# Subscription updates wait as notices; the send_notifications task mails each subscriber ONE
# message with everything pending, queued at most this often (0: never queued on its own;
# `manage.py send_notifications` still sends).
NOTIFICATIONS_SECONDS = int(os.environ.get("QUIRE_NOTIFICATIONS_SECONDS", "3600"))
# The kudos digest: each creator's kudos e-mail comes this often (AO3: daily); 0 leaves it to
# `manage.py send_kudos_digests` (cron).
KUDOS_DIGEST_SECONDS = int(os.environ.get("QUIRE_KUDOS_DIGEST_SECONDS", "86400"))
# Comments from accounts younger than this many days, and from guests (per IP), are limited
# to COMMENT_RATE_LIMIT in every COMMENT_RATE_MINUTES (AO3.md is silent; a week by default).
COMMENT_NEW_ACCOUNT_DAYS = int(os.environ.get("QUIRE_COMMENT_NEW_ACCOUNT_DAYS", "7"))
COMMENT_RATE_LIMIT = int(os.environ.get("QUIRE_COMMENT_RATE_LIMIT", "3"))
COMMENT_RATE_MINUTES = int(os.environ.get("QUIRE_COMMENT_RATE_MINUTES", "15"))
# A guest's comment may hold at most this many links (<a href> and bare URLs): link spam is
# what guest comments attract (AO3.md is silent; logged-in commenters have no such limit).
GUEST_COMMENT_MAX_LINKS = int(os.environ.get("QUIRE_GUEST_COMMENT_MAX_LINKS", "2"))
# Comments on a news post close this many days after it is published (AO3: 14; 0: never).
NEWS_COMMENT_DAYS = int(os.environ.get("QUIRE_NEWS_COMMENT_DAYS", "14"))
# A rejected comment form (session expired, CSRF token missing) is shown again with its text.
CSRF_FAILURE_VIEW = "quire.csrf.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "quire.accounts",
    "quire.tags",
    "quire.works",
    "quire.search",
    "quire.social",
    "quire.downloads",
    "quire.backup",
    "quire.imports",
    "quire.pages",
    "quire.moderation",
    "quire.invitations",
    "quire.news",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "quire.lib.http.refuse_control_characters",
    # All requests per address, counted before anything else touches the database.
    "quire.lib.ratelimit_middleware.RequestRateLimitMiddleware",
    # Fills in the site banner above the guest page cache, so cached pages never hold it.
    "quire.pages.middleware.SiteBannerMiddleware",
    # Answers guests' repeat work-page views before anything below touches the database.
    "quire.works.pagecache.GuestPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "quire.lib.site.remember_request_site",
    "quire.accounts.middleware.ao3_csrf_field",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "quire.accounts.middleware.reader_time_zone",
    "quire.accounts.middleware.robots_header",
    "django.contrib.messages.middleware.MessageMiddleware",
    # /users/<old login>/... to the new login, for a page not found under the old one.
    "quire.accounts.middleware.past_username_redirect",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "quire.pages.middleware.TermsAcceptanceMiddleware",
    "quire.lib.limits.RateLimitMiddleware",
]

# Behind HTTPS (README "Running in production"). All off by default, for `make run`'s plain
# HTTP on a laptop; `manage.py check --deploy` is clean with the values the README gives.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES")
# The header the proxy in front sets to "https" for HTTPS requests (X-Forwarded-Proto). Only
# set it when a proxy always sets (or strips) that header: a client could send it otherwise.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    _header = os.environ["SECURE_PROXY_SSL_HEADER"].strip().upper().replace("-", "_")
    SECURE_PROXY_SSL_HEADER = (f"HTTP_{_header}", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or event handler anywhere: scripts are files under static/js. Works'
# texts may show images from other sites (the sanitizer allows http and https), nothing else.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "https:", "http:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "quire.urls"
WSGI_APPLICATION = "quire.wsgi.application"
APPEND_SLASH = False

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
                "quire.works.context_processors.site",
                "quire.social.context_processors.inbox",
                "quire.moderation.context_processors.sanction_notice",
            ],
        },
    },
]

# SQLite by default (WAL, one file in the data dir); PostgreSQL when DATABASE_URL is set.
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # Listings read tens of thousands of index rows by key; with the data in memory (as an
        # archive's working set is), PostgreSQL's default random_page_cost of 4 makes it scan
        # whole tables instead (measured: 158 ms against 118 ms for a 58,000-work fandom at
        # 1,000,000 works). 1.1 is the usual setting for SSDs; ?options= in DATABASE_URL wins.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        if "random_page_cost" not in options.get("options", ""):
            options["options"] = f"{options.get('options', '')} -c random_page_cost=1.1".strip()
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            # SQLite makes its -wal and -shm files with the database file's mode.
            "NAME": str(_private_file(DATA_DIR / "quire.sqlite3")),
            # Reconnecting costs more than most page queries (PRAGMAs, function registration).
            "CONN_MAX_AGE": None,
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE avoids the
                # "database is locked" upgrade deadlock between two writing workers.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # Listings read thousands of scattered index rows: memory-mapped pages and a
                # bigger page cache spare a system call and a copy per page.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000; "
                    "PRAGMA mmap_size=8589934592; PRAGMA cache_size=-32768;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis when several app servers run; otherwise each process has its own memory cache. Only
# version-keyed fragments and guest pages validated by shared generations live there
# (works/pagecache.py), so a per-process cache is never stale. The "ratelimit" cache holds
# failed-login counts (accounts/ratelimit.py), which every worker must share: Redis, else a
# database table (made by the accounts migrations, or `manage.py createcachetable`).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        },
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ratelimit",
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        },
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "quire_ratelimit_cache",
            # A row per address per window (the request limit): past MAX_ENTRIES Django
            # deletes the expired rows, then a third of the live ones, forgetting their
            # counts. Django's default of 300 is a few minutes of a small site's readers.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }
    # A per-process cache must not hold sessions: a log-out in one worker would live on in
    # another's copy.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Failed logins allowed per account (however its login is spelled) and per client address
# within the window; past either, even the right password is refused until it passes.
LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("QUIRE_LOGIN_FAILURES_PER_ACCOUNT", "5"))
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("QUIRE_LOGIN_FAILURES_PER_ADDRESS", "20"))
LOGIN_FAILURE_MINUTES = int(os.environ.get("QUIRE_LOGIN_FAILURE_MINUTES", "15"))

# Rate limits (quire/lib/limits.py), "count/seconds" each, shared by every worker through the
# "ratelimit" cache. QUIRE_RATE_<NAME> overrides one, e.g. QUIRE_RATE_LOGIN=5/20.
_DEFAULT_RATES = {
    "requests": "300/300",  # every request, per address (AO3: 300 per 5 minutes)
    "login": "5/20",  # log-in posts, per address and per login typed (AO3)
    "signup": "5/3600",  # sign-ups per address
    "password_reset": "3/43200",  # per account (AO3: 3 per 12 hours) and per address
    "abuse_report_email": "5/86400",  # abuse reports per e-mail address (AO3: 5 a day)
    "abuse_report_url": "5/2678400",  # reports per reported work or user (AO3: 5 per 31 days)
    # ... and per reported comment, series or bookmark (AO3: 3 per 30 days)
    "abuse_report_url_minor": "3/2592000",
    "support": "5/3600",  # support messages per address and per account
    "kudos": "60/300",  # kudos per address and per account
    "invite_request": "3/3600",  # invitation requests per address
}
RATE_LIMITS = {
    name: os.environ.get(f"QUIRE_RATE_{name.upper()}", default)
    for name, default in _DEFAULT_RATES.items()
}
# Addresses no per-address limit counts (comma-separated networks): the machine itself by
# default, which is where a proxy that does not pass the client's address on would make
# every reader come from. Private ranges are not safe by default: on a shared network they
# are other people. Per-account and per-login limits count these addresses too.
RATE_LIMIT_SAFE_NETWORKS = [
    network.strip()
    for network in os.environ.get("QUIRE_RATE_LIMIT_SAFE_NETWORKS", "127.0.0.0/8,::1").split(",")
    if network.strip()
]
# Proxies whose X-Forwarded-For names the client (comma-separated networks; none by
# default): with nginx or Caddy in front on this machine, 127.0.0.1/32,::1/128. Without it
# every reader comes from the proxy's address, which no per-address limit counts.
TRUSTED_PROXIES = [
    network.strip()
    for network in os.environ.get("QUIRE_TRUSTED_PROXIES", "").split(",")
    if network.strip()
]
# Guest forms (comments, reports, sign-up) refuse a post sent sooner than this after the form
# was shown (a person reads and types; a spam script does not), and any post that fills the
# hidden honeypot field (quire/lib/spam.py).
SPAM_MIN_FORM_SECONDS = int(os.environ.get("QUIRE_SPAM_MIN_FORM_SECONDS", "3"))

AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's, each fetching the account with its preferences joined.
AUTHENTICATION_BACKENDS = [
    "quire.accounts.backends.ModelBackend",
    "quire.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "quire.accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 72}},
]
LOGIN_URL = "/users/login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# django-allauth: AO3 logs in with username or e-mail. A new account confirms its address
# before it can log in (as AO3 activates accounts by mail): only then can signing up with a
# taken address look exactly like a fresh sign-up ("check your mail"), instead of telling a
# stranger the address has an account. Mail goes to the console unless EMAIL_BACKEND says
# otherwise. ACCOUNT_EMAIL_VERIFICATION=optional logs new accounts in at once, and reveals
# taken addresses again.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_PREVENT_ENUMERATION = True
# Following the confirmation link, in the browser that signed up, logs the new account in.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# One address per account, as AO3: a change takes effect once the new address is confirmed.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "quire.accounts.adapter.AccountAdapter"
# AO3 asks every new account to confirm its holder is at least this old (13 by default).
MINIMUM_AGE = int(os.environ.get("QUIRE_MINIMUM_AGE", "13"))
# Two-factor sign-in (allauth.mfa): an authenticator app's codes, with recovery codes for a
# lost phone. Any account may turn it on; staff must (accounts/permissions.py
# staff_mfa_required). MFA_TOTP_ISSUER names the archive in the authenticator app.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Recovery codes are shown (with a download) once, when made; lost ones are replaced.
MFA_RECOVERY_CODES_SHOW_ONCE = True
MFA_TOTP_ISSUER = SITE_NAME
# Invitations released from the queue each day run at most this often (0: only by
# `manage.py release_invitations` or cron).
INVITATIONS_RELEASE_SECONDS = int(os.environ.get("QUIRE_INVITATIONS_RELEASE_SECONDS", "86400"))
# allauth's own rate limits count in the "default" cache, one worker's memory without
# REDIS_URL. Those Quire replaces are off (login: accounts.forms.LoginForm; signup:
# accounts.views.signup; reset_password: ResetPasswordForm); the rest (allauth.mfa's failed
# codes, e-mail confirmation, password change ...) count in the shared "ratelimit" cache
# instead (accounts/apps.py).
ACCOUNT_RATE_LIMITS = {"login": None, "reset_password": None, "signup": None}
ACCOUNT_FORMS = {
    "login": "quire.accounts.forms.LoginForm",
    "signup": "quire.accounts.forms.SignupForm",
    "reset_password": "quire.accounts.forms.ResetPasswordForm",
}
ACCOUNT_USERNAME_VALIDATORS = "quire.accounts.validators.username_validators"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "quire@localhost")
# For the SMTP backend. Tests always use the locmem backend (Django's test environment).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))

# Background jobs (DESIGN.md): tasks are rows in the database, run by `manage.py db_worker`,
# which `make run` starts beside the web server. QUIRE_TASKS_IMMEDIATE runs them in-process.
TASKS: dict[str, dict[str, Any]]
if env_bool("QUIRE_TASKS_IMMEDIATE"):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"
# Uploaded files (pseud icons) are served from here: by Django itself when DEBUG is on, else
# by the web server in front (README) or a storage's own URL.
MEDIA_URL = os.environ.get("QUIRE_MEDIA_URL", "/media/")
# Generated downloads, one file per (work, version, format), built on first request. Any
# Django storage works (object storage across machines); the default is a folder.
# A download's build (the PDF layout, in a child process) is stopped after this long and
# remembered as failed for that version of the work.
DOWNLOAD_BUILD_SECONDS = float(os.environ.get("QUIRE_DOWNLOAD_BUILD_SECONDS", "60"))
DOWNLOADS_DIR = Path(os.environ.get("QUIRE_DOWNLOADS_DIR") or DATA_DIR / "downloads").resolve()
_DOWNLOADS_STORAGE = os.environ.get("QUIRE_DOWNLOADS_STORAGE", "")
STORAGES["downloads"] = (
    {"BACKEND": _DOWNLOADS_STORAGE}
    if _DOWNLOADS_STORAGE
    else {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DOWNLOADS_DIR)},
    }
)

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
