#!/usr/bin/env bash
# The look, measured: seeds the demo into its own SQLite file, serves it in production
# mode (DEBUG off, collectstatic, whitenoise, gunicorn), then takes screenshots
# (bench/screenshots.py: 1280 and 390 px, light and dark) and, with LIGHTHOUSE=1,
# runs Lighthouse 12 (mobile emulation) on home, course and post.
# Results in bench/results/look/ (git-ignored).   PORT=8171 bash bench/look.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8171}"
OUT="bench/results/look"
mkdir -p "$OUT"
export DATABASE_URL="sqlite:///$PWD/bench/look.sqlite3"
export STATIC_ROOT="$PWD/bench/results/look/static"
rm -f bench/look.sqlite3
DJANGO_DEBUG=1 .venv/bin/python manage.py migrate --noinput -v0
DJANGO_DEBUG=1 .venv/bin/python manage.py seed_demo >/dev/null
export DJANGO_DEBUG=0 SECRET_KEY="look-$(head -c 48 /dev/urandom | base64 | tr -dc A-Za-z0-9)"
export ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0
export CSRF_COOKIE_SECURE=0 SERVE_MEDIA=1 SECURE_HSTS_SECONDS=0
.venv/bin/python manage.py collectstatic --noinput -v0
# Signed-in screenshots use sessions made here (no password round trip).
export LOOK_SESSIONS="$(.venv/bin/python manage.py shell -c "
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
for name in ('anya', 'hmarsh'):
    user = get_user_model().objects.get(username=name)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    print(name + '=' + store.session_key, end=' ')
")"
.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --log-level warning &
SERVER=$!
trap 'kill $SERVER' EXIT
for _ in $(seq 1 30); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.5; done
.venv/bin/python bench/screenshots.py "http://127.0.0.1:$PORT" "$OUT"
if [ "${LIGHTHOUSE:-0}" = 1 ]; then
  LH_DIR="${LH_DIR:-/tmp/lh}"
  [ -x "$LH_DIR/node_modules/.bin/lighthouse" ] || (mkdir -p "$LH_DIR" && cd "$LH_DIR" && npm i -E lighthouse@12.2.3 >/dev/null)
  post=$(.venv/bin/python bench/screenshots.py --post-path "http://127.0.0.1:$PORT")
  for page in "/" "/c/hist-247/" "$post"; do
    name=$(echo "$page" | tr -c 'a-z0-9\n' '_' | sed 's/^_*$/home/')
    CHROME_PATH=/usr/bin/chromium "$LH_DIR/node_modules/.bin/lighthouse" "http://127.0.0.1:$PORT$page" \
      --chrome-flags="--headless=new --no-sandbox" --output=json --output-path="$OUT/lh-$name.json" --quiet
    .venv/bin/python -c "import json,sys; r=json.load(open(sys.argv[1])); print(sys.argv[2], {k: round(v['score']*100) for k, v in r['categories'].items()}, 'LCP', r['audits']['largest-contentful-paint']['displayValue'], 'CLS', r['audits']['cumulative-layout-shift']['displayValue'], 'TBT', r['audits']['total-blocking-time']['displayValue'])" "$OUT/lh-$name.json" "$page"
  done
fi
