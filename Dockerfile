# 地域協働ポータル — one image for the web, celery worker and celery beat services.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    STATICFILES_MANIFEST=true \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Japanese fonts for PDFs and charts; Pango for WeasyPrint; pg_dump/pg_restore
# (PostgreSQL 15, as the db service) for bin/backup.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements-prod.lock ./
RUN pip install --require-hashes -r requirements-prod.lock

COPY . .
# The portal's bytecode compiled once here: PYTHONDONTWRITEBYTECODE keeps a
# process from writing it, so without this every start (a web worker, a
# celery worker, a management command) compiled the project's modules again,
# about 0.4 s of `manage.py check`'s 1.35 s (docs/performance.md, Start-up).
RUN python -m compileall -q areas grants liaisons meetings portal surveys \
    && SECRET_KEY=build-only-collectstatic python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 --home-dir /app portal \
    && mkdir -p /app/var/media /app/var/private \
    && chown -R portal /app/var

USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--logger-class", "portal.logs.AccessLogger"]
