#!/usr/bin/env bash
# Pages under load: gunicorn (production-like settings) and wrk, with a bare Django
# view as the floor. Uses the demo data (seed_demo) in its own SQLite file, or the
# database in DATABASE_URL.
#
#   bash bench/pages.sh            # 10 s per page, 2 workers, 16 connections
#   DURATION=30s bash bench/pages.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }

PORT=${PORT:-8099}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
WORKERS=${WORKERS:-2}
export DJANGO_SETTINGS_MODULE=bench.settings
export DJANGO_DEBUG=0 SECRET_KEY=bench-not-secret-0123456789abcdefghijklmnopqrstuvwxyz
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0
export DATABASE_URL=${DATABASE_URL:-sqlite:///$PWD/bench/bench.sqlite3}
mkdir -p bench/results

.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed_demo --force > /dev/null
.venv/bin/python manage.py collectstatic --noinput -v0

.venv/bin/gunicorn config.wsgi --bind 127.0.0.1:$PORT --workers "$WORKERS" \
  --log-level warning > bench/results/gunicorn.log 2>&1 &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/bench/bare/" && break; sleep 0.2; done

POST=$(.venv/bin/python -c "
import django; django.setup()
from blog.models import Post
print(Post.objects.published().filter(course__slug='hist-247').first().get_absolute_url())")
printf '%-34s %12s %12s %12s\n' page requests/s 'p50 (ms)' 'p99 (ms)'
for path in /bench/bare/ / /c/hist-247/ "$POST"; do
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT$path")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf '%-34s %12s %12s %12s\n' "$path" "$rps" "$p50" "$p99"
done | tee bench/results/pages.txt
