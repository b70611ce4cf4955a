"""Local development and the embedded `make run` default. Never used in production."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-not-for-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
VAR_DIR.mkdir(exist_ok=True)
# Escalation steps a couple of minutes apart, so trying the console shows a reminder climbing.
ESCALATE_AFTER_MINUTES = env.int("ESCALATE_AFTER_MINUTES", default=2)
