"""Test settings: the dev defaults, fast hashing, and no locking across the suite."""

import tempfile
from pathlib import Path

from .dev import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static straight from the finders; no collectstatic in tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Uploaded scans go to a scratch directory, never the working tree (tests/continuity gives each test
# its own).
PRIVATE_MEDIA_ROOT = Path(tempfile.gettempdir()) / "console-test-private"
# Tests that declare incidents in committed transactions share one broker and worker: a first
# grab pack queued by one would be rendered while another test empties the database. The test of
# the queueing turns it on.
GRAB_PACK_ON_DECLARE = False
