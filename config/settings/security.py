"""Sign-in, sessions, API tokens, personal-data keys and the audit log (docs/security.md)."""

from datetime import timedelta

from .env import env

# Lockout (django-axes): 5 failures lock the account for 15 minutes, whatever the IP address and however
# the user name is written (core.models.normalise_username).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "security.lockout.username_of"
AXES_LOCKOUT_CALLABLE = "security.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit log (security.AuditEntry)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_VERBOSE = False
# Locking by address as well would lock a whole office behind one NAT address after a few typos by
# different clerks; guessing across accounts from one address is slowed by the throttles instead.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Passwords: at least 12 characters of three kinds, not one of the last five, changed every 90 days.
PASSWORD_MIN_LENGTH = env.int("PASSWORD_MIN_LENGTH", default=12)
PASSWORD_HISTORY = env.int("PASSWORD_HISTORY", default=5)
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)  # 0: passwords never expire
# `make run` only: the demo accounts keep their shared demo password (no forced change, no expiry, no
# second factor). Never set in production.
DEMO_LOGINS = env.bool("HUAJIE_DEMO_LOGINS", default=False)

# Sessions: a new one at each sign-in (Django), ended after 30 idle minutes and 12 hours in all.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 3600)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# API tokens: shown once, kept as a hash, valid this many hours unless revoked first.
API_TOKEN_HOURS = env.int("API_TOKEN_HOURS", default=12)

# Personal data at rest (core.crypto): Fernet keys, newest first, and the search-hash key. Unset, both are
# derived from SECRET_KEY (development only: production refuses to start without them).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
FIELD_HASH_KEY = env("FIELD_HASH_KEY", default="")

# Second factor (TOTP): required of these roles' holders (and of superusers) when set; offered to all.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=False)
OTP_TOTP_ISSUER = "Huajie 化解"

# The audit log is kept at least this long (网络安全法 Art. 21: six months).
AUDIT_RETENTION_DAYS = max(180, env.int("AUDIT_RETENTION_DAYS", default=365))
