# syntax=docker/dockerfile:1
# One image for the three app processes of docker-compose.yml: web (gunicorn, the default CMD),
# worker (celery worker) and beat (celery beat). Build: docker build -t cho-ocop .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=shop.settings.production \
    WEB_CONCURRENCY=2

WORKDIR /app

# Runtime dependencies only, every one pinned and hash-checked (no test or lint tools).
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY . .

# Compile the translation catalogues that exist (.po → .mo); skip a directory that has none.
RUN for dir in locale locale_overrides; do \
        if ls "$dir"/*/LC_MESSAGES/django.po >/dev/null 2>&1; then \
            pybabel -q compile -d "$dir" -D django || exit 1; \
        fi; \
    done

# Production settings insist on SECRET_KEY and ALLOWED_HOSTS; collectstatic needs neither for
# real, so throwaway values are given to this one command only and never stored in the image.
RUN SECRET_KEY=build-only-throwaway-not-used-at-runtime ALLOWED_HOSTS=localhost \
    DJANGO_SETTINGS_MODULE=shop.settings.production \
    python manage.py collectstatic --noinput

# The code stays root-owned and read-only for the app user; only media (local-disk fallback
# when no S3 bucket is configured) is writable.
RUN useradd --system --create-home --home-dir /home/app --uid 10001 app \
    && mkdir -p /app/media \
    && chown app:app /app/media
USER app

EXPOSE 8000
CMD ["sh", "-c", "exec gunicorn shop.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-2} --access-logfile -"]
