"""Settings for `make bench`: the development defaults with DEBUG off, static files served from
the finders (no collectstatic), and the bench URL conf (the product's routes plus the floors)."""

from .dev import *  # noqa: F403
from .dev import env

DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
ROOT_URLCONF = "incident_console.bench.urls"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
