"""Settings shared by every environment. Topic modules are pulled in at the end."""

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from .env import BASE_DIR, env

SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-do-not-use-in-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    # Huajie, lowest layer first: an app imports only from apps above it in this list.
    "core",
    "security",
    "notifications",
    "documents",
    "deadlines",
    "disputes",
    "followups",
    "hearings",
    "legal_aid",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "security.middleware.SessionTimeoutMiddleware",
    "security.middleware.AuditMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): scripts and styles from our own static files only. Pages carry
# no inline <script>, no on…= handler and no style="…" (tests/core/test_web_hardening.py reads every
# template); data reaches a script through data-* attributes or json_script. Two views widen it for
# the document preview, which is a whole HTML page with its own <style> (documents.views).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.navigation",
                "notifications.context_processors.notifications",
            ],
        },
    },
]

AUTH_USER_MODEL = "core.User"
# Axes first: a locked account is refused before its password is even checked.
AUTHENTICATION_BACKENDS = ["security.backends.LockoutBackend", "core.auth.HuajieBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "security.passwords.LengthValidator"},
    {"NAME": "security.passwords.CharacterClassesValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "security.passwords.HistoryValidator"},
]

# Chinese first; English is a complete alternative, chosen per user through the language switch.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "core.staticfinders.NodeModulesFinder",
]
# How long a dashboard's figures are kept before they are read again (seconds; 0: read on every view).
REPORTS_CACHE_SECONDS = env.int("REPORTS_CACHE_SECONDS", default=600)
# Files served from node_modules (npm ci, from package-lock.json): (static prefix, folder, files).
NODE_STATIC = [("vendor/echarts", "echarts/dist", ["echarts.min.js"])]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# Text messages: a class with send(to=…, text=…, reference=…) (notifications.channels); the default logs.
SMS_GATEWAY = env("SMS_GATEWAY", default="notifications.channels.LoggingSmsGateway")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="huajie@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},  # it logs every layout step at INFO
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # sign-ins are in the audit log
    },
}

HUAJIE_SITE_NAME = _("Huajie administrative dispute resolution")

from .api import *  # noqa: E402,F403
from .database import *  # noqa: E402,F403
from .queue import *  # noqa: E402,F403
from .security import *  # noqa: E402,F403
