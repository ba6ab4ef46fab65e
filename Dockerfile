# Huajie production image: gunicorn + whitenoise for the web, the same image for Celery worker and beat.

# The front-end libraries, from the npm lockfile (served by the app itself: no CDN).
FROM node:20-bookworm-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# Pango for WeasyPrint; a Song/serif and sans CJK face so PDFs never show tofu boxes.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock

COPY . .
COPY --from=assets /assets/node_modules/echarts/dist/echarts.min.js /app/node_modules/echarts/dist/echarts.min.js
# Static files are collected at build time; the settings need some values to load, none of them real.
RUN SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only ALLOWED_HOSTS=build \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 python manage.py collectstatic --noinput \
 && useradd --system --home /app huajie \
 && mkdir -p /app/var/media /app/var/celery \
 && chown -R huajie /app/var

USER huajie
EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"]
