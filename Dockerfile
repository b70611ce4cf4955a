# syntax=docker/dockerfile:1
# Production image: gunicorn (web), celery worker and celery beat all run from this image.

# --- GOV.UK Frontend + htmx into static/govuk/ --------------------------------------------------------
FROM node:20-bookworm-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# --- Application -----------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=incident_console.settings.production

# WeasyPrint's system libraries (Pango) and fonts for the PDF reports.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .
COPY --from=frontend /build/static/govuk/ static/govuk/

# Hashed, compressed static files for WhiteNoise. Throwaway values: production settings refuse
# to load without them, and nothing here connects to the database.
RUN SECRET_KEY=collectstatic-only-not-a-real-secret-0123456789abcdefghijklmnop \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home console \
    && mkdir -p /app/var/pdfs /app/var/archives /app/var/private \
    && chown -R console:console /app/var
USER console

EXPOSE 8000
CMD ["gunicorn", "incident_console.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
