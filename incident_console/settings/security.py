"""Content Security Policy and cookie hardening, for every environment.

Imported at the end of base.py, so dev, test and production all run under the same policy: a page
that breaks under it breaks on a laptop first. docs/security.md explains each directive.
"""

from csp.constants import NONCE, NONE, SELF

# django-csp 4. The nonce reaches the header only if a template reads ``request.csp_nonce`` while
# rendering (templates/base.html always does); a response that renders no inline script gets
# ``script-src 'self'`` with no nonce, which is stricter still.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# Swagger UI at /api/docs/ (drf-spectacular's split view: no inline script) still ships one inline
# <style> block in its template. This hash allows exactly that block, on that view only. A
# drf-spectacular upgrade that changes the block fails tests/security/test_csp.py, which prints the
# new hash.
SWAGGER_UI_STYLE_HASH = "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"
SWAGGER_UI_CSP_UPDATE = {"style-src": [SWAGGER_UI_STYLE_HASH]}

# Cookies: not readable by page scripts and not sent on cross-site subrequests or POSTs. htmx takes
# the CSRF token from ``hx-headers`` on <body>, never from the cookie. production.py adds Secure.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Response headers set by Django's SecurityMiddleware and XFrameOptionsMiddleware.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
