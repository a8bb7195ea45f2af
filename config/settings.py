"""Commonplace settings: one module, read from the environment (and an optional .env)."""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE as CSP_NONCE
from django.core.exceptions import ImproperlyConfigured

from accounts.institutions import apps_from_env
from blog.embed_providers import PLAYER_HOSTS

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# `manage.py makemigrations` runs on a bare checkout, without production secrets: the
# entry point says so with DJANGO_SECRETS_OPTIONAL=1 (manage.py); settings don't read the
# command line. Nothing that serves or signs sets it.
NEEDS_NO_SECRETS = env.bool("DJANGO_SECRETS_OPTIONAL", default=False)

# Secrets and hosts: development gets safe local defaults, production must say.
if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="django-insecure-development-only-key")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
elif NEEDS_NO_SECRETS:
    SECRET_KEY = env("SECRET_KEY", default="unused-without-secrets")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
else:
    SECRET_KEY = env("SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DJANGO_DEBUG off, set SECRET_KEY in the environment "
            "(or .env), or set DJANGO_DEBUG=1 for local development."
        )
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is not set. With DJANGO_DEBUG off, list the host names this site "
            "answers to, comma-separated, in ALLOWED_HOSTS."
        )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The proxies (addresses or networks) whose X-Forwarded-For is believed: behind nginx
# on the same host, 127.0.0.1. Empty: the connection's address is the client's
# (config/proxies.py; docs/deploy.md).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

INSTALLED_APPS = [
    "config.apps.AdminConfig",  # django.contrib.admin, with our grouped site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.facebook",
    "allauth.socialaccount.providers.openid_connect",  # institutions (docs/sso.md)
    "allauth.socialaccount.providers.saml",
    "accounts.providers.wordpress_com",
    "config.apps.HooksConfig",  # imports every app's hooks.py (config/hooks.py)
    "accounts",
    "blog",
    "comments",
    "awards",
    "badges",  # Open Badges for awards (optional, like awards)
    "assignments",
    "references",
    "coursepages",  # a course's pages and its menu (optional, like awards)
    "notifications",
    "imports",
    "terms",
    "privacy",
    "lti",  # LMS connections: LTI 1.3 launch, roster, grades (docs/lti.md)
    "django_tasks",
    "django_tasks_db",
    "csp",
]

MIDDLEWARE = [
    "config.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.StaticFilesMiddleware",  # whitenoise's, its table built when needed
    "config.middleware.DatabaseUnavailableMiddleware",
    # Headers for every response, cached pages included:
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.CSPMiddleware",  # django-csp's, its header built once
    "config.middleware.PermissionsPolicyMiddleware",
    "config.middleware.CacheControlMiddleware",  # who may keep it: public or private
    # Cached pages, answered before the rest (the pagecache package):
    "pagecache.middleware.PageCacheMiddleware",
    "pagecache.middleware.SessionMiddleware",  # Django's, taking a session it loaded
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "pagecache.middleware.AuthenticationMiddleware",  # Django's, taking a user it loaded
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "blog.robots.RobotsMiddleware",  # X-Robots-Tag for a course not to be indexed
    # Last: answers old WordPress permalinks that would otherwise be 404 (imports).
    "imports.middleware.OldLinkRedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "config.context_processors.site",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Database: SQLite in the project folder by default; PostgreSQL through psycopg 3.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if env.bool("DB_POOL", default=False):
        # Django's native psycopg 3 pool: connections are reused across requests.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"] = {
            "pool": {
                "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
                "max_size": env.int("DB_POOL_MAX_SIZE", default=10),
                "timeout": env.int("DB_POOL_TIMEOUT", default=10),
            }
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        # Django's, whose health check of a kept connection costs no round trip while
        # the server has sent nothing (config/postgresql; the pool checks its own).
        DATABASES["default"]["ENGINE"] = "config.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DB_CONNECT_TIMEOUT", default=5
    )
    # Server-side parameters, so that psycopg prepares a statement the connection has
    # run PREPARE_THRESHOLD times: PostgreSQL then skips planning it, which took longer
    # than running the post page's queries (docs/decisions.md). Off (0) behind a pooler
    # in transaction mode that can't keep prepared statements.
    PREPARE_THRESHOLD = env.int("DB_PREPARE_THRESHOLD", default=5)
    if PREPARE_THRESHOLD:
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = PREPARE_THRESHOLD
# A restarted database costs no request once it is back: stale connections are
# checked before use instead of failing the first query.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Cache: local memory by default; Redis when REDIS_URL is set, shared by every app
# server: page cache, sessions (cached_db), allauth's rate limits, comment flood control.
# Redis down: config/cache.py degrades to no cache and logs it; pages keep serving.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="commonplace"),
            # A cache that is down costs a request a fraction of a second, never a hang;
            # one that hangs is skipped after a few timeouts, for a while (config/cache.py).
            "OPTIONS": {
                "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=0.25),
                "socket_timeout": env.float("REDIS_TIMEOUT", default=0.5),
                "retry_on_timeout": False,
            },
            "BREAKER": {
                "failures": env.int("REDIS_BREAKER_FAILURES", default=3),
                "seconds": env.float("REDIS_BREAKER_SECONDS", default=10),
            },
        }
    }
    # The database stays the truth; a session read from another server hits the cache.
    SESSION_ENGINE = "config.cached_db"  # Django's cached_db, reading a row as config.sessions
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
    # A per-process cache must not hold sessions: another process could miss a logout.
    SESSION_ENGINE = "config.sessions"  # Django's database store, its query compiled once
# The page cache (the pagecache package): how long a copy lives; 0 turns it off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# Each process also keeps the pages it served last, unpickled, up to this many bytes
# (pagecache.store.RecentPages; 0: off).
PAGE_CACHE_LOCAL_BYTES = env.int("PAGE_CACHE_LOCAL_BYTES", default=2 * 1024 * 1024)
# A miss is drawn by one process at a time; meanwhile the others serve the copy drawn
# before it, if it is at most this many seconds old, or wait this long for the new one
# (pagecache.store.claim; 0: every miss draws). Never to a reader who just wrote.
PAGE_CACHE_STALE_SECONDS = env.float("PAGE_CACHE_STALE_SECONDS", default=2.0)
# What besides Django's sign-in a session may hold for the page cache to serve a
# signed-in reader before the stack: the keys accounts owns (allauth's among them).
PAGE_CACHE_SIGN_IN_SESSION_KEYS = "accounts.sessions.SIGN_IN_KEYS"
# What the page cache loads with a signed-in reader's row (other apps' annotations,
# the bell's count: config.hooks.READER_LOADERS).
PAGE_CACHE_READER_QUERYSET = "blog.extensions.with_reader_loaders"
# The reader's time zone, set by static/js/site.js on every page for due times "in
# your time". Only per-viewer parts read it (assignments' "What's due"), so it keeps
# nobody from the page cache (pagecache.request.neutral_cookies).
READER_ZONE_COOKIE = "tz"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
# locale/en: allauth's words in the site's one vocabulary, sentence case ("Sign in").
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
SITE_ID = 1
SITE_NAME = "Commonplace"
# One line about the site: the home page's meta description.
SITE_TAGLINE = env(
    "SITE_TAGLINE",
    default="Course blogs: students write, classmates discuss, instructors guide and award.",
)
# The host name in links of emails sent outside a request (notifications), and of
# calendars; in development the port `make run` serves on (PORT).
SITE_DOMAIN = env(
    "SITE_DOMAIN",
    default=f"127.0.0.1:{env.int('PORT', default=8000)}"
    if DEBUG
    else next(iter(ALLOWED_HOSTS), "").lstrip("."),
)

# LTI 1.3 (docs/lti.md): how long a rotated tool key stays in the tool's JWKS.
LTI_KEY_GRACE_DAYS = env.int("LTI_KEY_GRACE_DAYS", default=7)
# Scores sent to the LMS: attempts before "failed", and the first wait (it doubles).
LTI_SCORE_ATTEMPTS = env.int("LTI_SCORE_ATTEMPTS", default=5)
LTI_SCORE_RETRY_DELAY = env.int("LTI_SCORE_RETRY_DELAY", default=60)

# Static files (whitenoise) and uploads.
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads: the file system by default; an S3-compatible bucket when MEDIA_S3_BUCKET is
# set (config/storage.py; docs/deploy.md lists the variables).
if env("MEDIA_S3_BUCKET", default=""):
    from config.storage import s3_options

    MEDIA_STORAGE = {"BACKEND": "config.s3storage.MediaS3Storage", "OPTIONS": s3_options(env)}
else:
    MEDIA_STORAGE = {"BACKEND": "config.storage.MediaFileSystemStorage"}
# How long a signed address of a members-only course image stays valid (seconds).
MEDIA_SIGNED_URL_SECONDS = env.int("MEDIA_SIGNED_URL_SECONDS", default=600)
# Behind nginx, the media view answers with X-Accel-Redirect to this internal location
# (deploy/nginx.conf) instead of streaming the file itself. Empty: Django streams it.
MEDIA_ACCEL_REDIRECT = env("MEDIA_ACCEL_REDIRECT", default="")
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "config.staticfiles.StaticStorage"  # minified, hashed, compressed
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# Upload limits, in one place: the forms check them and say them, and nginx's
# client_max_body_size is written from them (deploy/render_nginx.py), so a file the form
# accepts always reaches it and nginx's 413 page names the same numbers.
IMPORT_EXPORT_MAX_MB = env.int("IMPORT_EXPORT_MAX_MB", default=100)  # the WordPress .xml
IMPORT_MEDIA_MAX_MB = env.int("IMPORT_MEDIA_MAX_MB", default=1024)  # its uploads .zip
# Every other form carries at most one image (accounts.images: 10 MB) and its text.
REQUEST_MAX_MB = 12
IMPORT_REQUEST_MAX_MB = IMPORT_EXPORT_MAX_MB + IMPORT_MEDIA_MAX_MB + 1

# Email: printed to the console in development, EMAIL_URL otherwise.
if DEBUG and not env("EMAIL_URL", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Commonplace <noreply@localhost>")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Forms.
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Accounts (django-allauth).
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
# Verification is mandatory in production: only then can sign-up answer "check your
# inbox" for a registered address too (ACCOUNT_PREVENT_ENUMERATION; docs/decisions.md).
ACCOUNT_EMAIL_VERIFICATION = env(
    "ACCOUNT_EMAIL_VERIFICATION", default="optional" if DEBUG else "mandatory"
)
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_LOGIN_ON_GET = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}

# Third-party login: live OAuth2 with credentials, a local stand-in without them.
SOCIAL_STUB_LOGIN = env.bool("SOCIAL_STUB_LOGIN", default=DEBUG)
SOCIALACCOUNT_PROVIDERS = {
    "wordpress_com": {
        "APPS": [
            {
                "client_id": env("WORDPRESS_COM_CLIENT_ID", default=""),
                "secret": env("WORDPRESS_COM_CLIENT_SECRET", default=""),
            }
        ]
        if env("WORDPRESS_COM_CLIENT_ID", default="")
        else [],
        "SCOPE": ["auth"],
    },
    "facebook": {
        "APPS": [
            {
                "client_id": env("FACEBOOK_CLIENT_ID", default=""),
                "secret": env("FACEBOOK_CLIENT_SECRET", default=""),
            }
        ]
        if env("FACEBOOK_CLIENT_ID", default="")
        else [],
        "METHOD": "oauth2",
        "SCOPE": ["email", "public_profile"],
        "FIELDS": ["id", "email", "name", "first_name", "last_name", "picture"],
        "VERSION": "v19.0",
    },
}

# Institutions' single sign-on (docs/sso.md): SAML 2.0 and OpenID Connect identity
# providers, from the admin (Institutions) and from SSO_INSTITUTIONS, a JSON list.
_institutions = apps_from_env(env("SSO_INSTITUTIONS", default=""))
SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
    "APPS": _institutions["openid_connect"],
    "provider_class": "accounts.providers.institutions.InstitutionOIDCProvider",
}
SOCIALACCOUNT_PROVIDERS["saml"] = {
    "APPS": _institutions["saml"],
    "provider_class": "accounts.providers.institutions.InstitutionSAMLProvider",
}
# An institution that vouches for an address links the local account that has it
# (once: the link is kept).
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
# Institution-only: no local sign-up, local sign-in for staff (site admins) only.
INSTITUTION_ONLY = env.bool("INSTITUTION_ONLY", default=False)

# Background tasks (django-tasks): "immediate" runs them in the request, after the
# commit (development, tests); "database" queues them for `manage.py db_worker`.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = env("TASKS_BACKEND", default="immediate" if DEBUG else "database")
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}
# Notification emails: attempts before giving up, and the wait between them (queued).
NOTIFICATION_EMAIL_ATTEMPTS = env.int("NOTIFICATION_EMAIL_ATTEMPTS", default=3)
NOTIFICATION_EMAIL_RETRY_DELAY = env.int("NOTIFICATION_EMAIL_RETRY_DELAY", default=300)

# Comments.
COMMENT_FLOOD_INTERVAL = env.int("COMMENT_FLOOD_INTERVAL", default=15)

# Security: on whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers poll the health endpoints over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_PROXY_SSL_HEADER = (
        ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
    )
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# Content-Security-Policy (django-csp 4): scripts, styles and fonts from this site only
# (an inline <script> or <style> needs the request's nonce, {{ CSP_NONCE }}); images
# also from the media storage's origin; never framed; violations reported to
# config.views.csp_report, which logs them. CSP_REPORT_ONLY=1 reports without blocking.
# MEDIA_ORIGIN: where uploads are served from when that is another host (a bucket or
# CDN), e.g. https://media.example.edu; derived from MEDIA_URL when that is absolute.
MEDIA_ORIGIN = env.list("MEDIA_ORIGIN", default=[])
if not MEDIA_ORIGIN and urlsplit(MEDIA_URL).netloc:
    MEDIA_ORIGIN = [f"{urlsplit(MEDIA_URL).scheme or 'https'}://{urlsplit(MEDIA_URL).netloc}"]
if not MEDIA_ORIGIN and MEDIA_STORAGE["BACKEND"] == "config.s3storage.MediaS3Storage":
    from config.storage import s3_origins

    MEDIA_ORIGIN = s3_origins(MEDIA_STORAGE["OPTIONS"])
CSP_REPORT_PATH = "/csp-report/"
EMBED_PLAYER_HOSTS = PLAYER_HOSTS
CSP_REPORT_MAX_BYTES = 16 * 1024
_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", CSP_NONCE],
        "style-src": ["'self'", CSP_NONCE],
        "img-src": ["'self'", "data:", *MEDIA_ORIGIN],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # The players of the embed providers (blog/embed_providers.py), and nothing else:
        # an embed loads its player only when the reader asks (docs/decisions.md).
        "frame-src": [f"https://{host}" for host in EMBED_PLAYER_HOSTS],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "report-uri": [CSP_REPORT_PATH],
    }
}
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP
# Browser features no page here uses, switched off for every page and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

# Logs: one line per request (config.middleware.RequestIdMiddleware), every record with
# its request id; JSON lines when LOG_FORMAT=json, plain text otherwise.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.logging.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "config.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# blog/fetcher.py, the one fetcher of things from the web (embeds, images from the web):
# "127.0.0.1:<port>" entries it may reach despite its rules. Empty in production; only
# the tests' local fake servers are ever listed here (docs/decisions.md).
WEB_FETCH_ALLOWED_ADDRESSES = []
