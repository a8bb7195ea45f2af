#!/usr/bin/env bash
# A local cluster like production, on one machine: nginx on 127.0.0.1:8080 balancing
# two gunicorn app servers, one task worker, PostgreSQL, Redis and an S3 bucket (moto).
#
#   bash deploy/cluster.sh start     (make cluster)
#   bash deploy/cluster.sh stop      (make cluster-stop)
#   bash deploy/cluster.sh restart-web PORT   (one app server, drained first: no request lost)
#
# Everything it starts gets a pid file under .cluster/run; `stop` stops exactly those
# processes. PostgreSQL and Redis are reused when already running (and then left alone).
# Settings (environment): CLUSTER_WEB_PORTS (two ports), CLUSTER_NGINX_PORT,
# CLUSTER_MOTO_PORT, CLUSTER_DB (a database of its own), CLUSTER_REDIS_DB, CLUSTER_WORKERS.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STATE=$ROOT/.cluster
RUN=$STATE/run
WEB_PORTS=(${CLUSTER_WEB_PORTS:-8141 8142})
NGINX_PORT=${CLUSTER_NGINX_PORT:-8080}
MOTO_PORT=${CLUSTER_MOTO_PORT:-8146}
DB=${CLUSTER_DB:-commonplace_cluster}
REDIS_DB=${CLUSTER_REDIS_DB:-5}
WORKERS=${CLUSTER_WORKERS:-2}
PY=$ROOT/.venv/bin/python

log() { printf '[cluster] %s\n' "$*"; }
listening() { "$PY" -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1)" "$1" 2>/dev/null; }
wait_for() {  # port, name
  for _ in $(seq 1 120); do listening "$1" && return 0; sleep 0.25; done
  log "$2 did not start on port $1 (logs in $STATE/log)"; return 1
}
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

write_env() {
  [ -f "$STATE/secret" ] || head -c 48 /dev/urandom | base64 | tr -dc A-Za-z0-9 > "$STATE/secret"
  cat > "$STATE/env" <<ENV
DJANGO_DEBUG=0
SECRET_KEY=$(cat "$STATE/secret")
ALLOWED_HOSTS=127.0.0.1,localhost
SECURE_SSL_REDIRECT=0
SESSION_COOKIE_SECURE=0
CSRF_COOKIE_SECURE=0
SECURE_HSTS_SECONDS=0
DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
REDIS_URL=redis://127.0.0.1:6379/$REDIS_DB
CACHE_KEY_PREFIX=cluster
TASKS_BACKEND=database
EMAIL_URL=consolemail://
STATIC_ROOT=$STATE/static
MEDIA_S3_BUCKET=commonplace-cluster
MEDIA_S3_ENDPOINT_URL=http://127.0.0.1:$MOTO_PORT
MEDIA_S3_ACCESS_KEY_ID=cluster
MEDIA_S3_SECRET_ACCESS_KEY=cluster
LOG_FORMAT=json
TRUSTED_PROXIES=127.0.0.1
CLUSTER_WEB_PORTS=$(IFS=,; echo "${WEB_PORTS[*]}")
CLUSTER_NGINX_PORT=$NGINX_PORT
ENV
}

ensure_nginx() {
  command -v nginx >/dev/null 2>&1 && return
  log "installing nginx (Debian package)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx
}

ensure_postgres() {
  pg_isready -h 127.0.0.1 -p 5432 -q && return
  log "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  echo "$(ls /etc/postgresql)" > "$RUN/postgres.started"
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && return; sleep 1; done
}

ensure_redis() {
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && return
  command -v redis-server >/dev/null 2>&1 || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server
  }
  log "starting Redis"
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no \
    --pidfile "$RUN/redis.pid" --logfile "$STATE/log/redis.log"
  wait_for 6379 Redis
}

start_web() {  # port
  local port=$1
  alive "$RUN/web-$port.pid" && return
  listening "$port" && { log "port $port is taken"; return 1; }
  (set -a; . "$STATE/env"; set +a
   exec .venv/bin/gunicorn config.wsgi --config deploy/gunicorn.conf.py \
     --bind "127.0.0.1:$port" --workers "$WORKERS" \
     --graceful-timeout 10 --no-control-socket --pid "$RUN/web-$port.pid" \
     >> "$STATE/log/web-$port.log" 2>&1) &
  wait_for "$port" "app server"
}

# The task worker, kept running as systemd's Restart=always keeps the production one
# (deploy/systemd/commonplace-worker.service): restarted whenever it exits, after a
# wait that doubles from 1 s up to 30 s while it keeps exiting at once. The worker
# itself rides out a database restart (blog/management/commands/db_worker.py); this is
# for a crash. `stop` stops the loop, which stops the worker (pid in worker-child.pid).
supervise_worker() {
  local child="" wait=1 started
  trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; rm -f "$RUN/worker-child.pid"; exit 0' TERM INT
  while true; do
    started=$(date +%s)
    (set -a; . "$STATE/env"; set +a; exec "$PY" manage.py db_worker >> "$STATE/log/worker.log" 2>&1) &
    child=$!
    echo "$child" > "$RUN/worker-child.pid"
    wait "$child" || true
    log "task worker exited; restarting in ${wait}s"
    sleep "$wait" & wait $! || true
    if [ $(( $(date +%s) - started )) -gt 60 ]; then wait=1; else wait=$(( wait * 2 > 30 ? 30 : wait * 2 )); fi
  done
}

# nginx's upstream servers, with PORT (if given) marked down: nginx sends it nothing new.
write_upstream() {  # [port to drain]
  local file=$STATE/nginx/commonplace-upstream.conf port
  : > "$file.new"
  for port in "${WEB_PORTS[@]}"; do
    if [ "$port" = "${1:-}" ]; then
      echo "server 127.0.0.1:$port max_fails=1 fail_timeout=5s down;" >> "$file.new"
    else
      echo "server 127.0.0.1:$port max_fails=1 fail_timeout=5s;" >> "$file.new"
    fi
  done
  mv "$file.new" "$file"
}

reload_nginx() {
  nginx -t -q -c "$STATE/nginx/nginx.conf" -p "$STATE/nginx" 2>>"$STATE/log/nginx-error.log"
  nginx -c "$STATE/nginx/nginx.conf" -p "$STATE/nginx" -s reload 2>>"$STATE/log/nginx-error.log"
}

# Restart one app server without losing a request, as docs/deploy.md tells production:
# mark it down in nginx and reload (new requests go to the others; nginx's old workers
# finish what they hold), wait until nothing is in flight to it, stop it (gunicorn
# finishes its requests), start it, wait for /readyz, and put it back.
restart_web() {  # port
  local port=$1
  alive "$RUN/nginx.pid" || { log "nginx is not running"; return 1; }
  log "draining app server $port"
  write_upstream "$port"
  reload_nginx
  drained "$port" || log "app server $port still busy after 30 s; stopping it anyway"
  stop_pid "$RUN/web-$port.pid" "app server $port"
  start_web "$port"
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" && break
    sleep 0.25
  done
  log "app server $port is back"
  write_upstream
  reload_nginx
}

drained() {  # port: nginx's old workers gone and no connection open to the app server
  local master
  master=$(cat "$RUN/nginx.pid")
  for _ in $(seq 1 120); do
    sleep 0.25
    [ "$(pgrep -c -P "$master" || true)" -le 1 ] || continue  # worker_processes 1
    [ -z "$(ss -Htn state established "( dport = :$1 )" 2>/dev/null)" ] && return 0
  done
  return 1
}

start() {
  mkdir -p "$RUN" "$STATE/log" "$STATE/nginx/tmp"
  [ -x "$PY" ] || make install
  ensure_nginx
  ensure_postgres
  ensure_redis
  write_env
  psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" \
    | grep -q 1 || psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $DB"

  if ! alive "$RUN/moto.pid"; then
    listening "$MOTO_PORT" && { log "port $MOTO_PORT is taken"; return 1; }
    log "starting the S3 server (moto) on $MOTO_PORT"
    .venv/bin/moto_server -H 127.0.0.1 -p "$MOTO_PORT" >> "$STATE/log/moto.log" 2>&1 &
    echo $! > "$RUN/moto.pid"
    wait_for "$MOTO_PORT" moto
  fi

  log "migrations, static files, bucket"
  (set -a; . "$STATE/env"; set +a
   "$PY" manage.py migrate --noinput -v0
   "$PY" manage.py collectstatic --noinput -v0
   "$PY" - <<'PY'
import os, boto3
s3 = boto3.client("s3", endpoint_url=os.environ["MEDIA_S3_ENDPOINT_URL"], region_name="us-east-1",
                  aws_access_key_id="cluster", aws_secret_access_key="cluster")
bucket = os.environ["MEDIA_S3_BUCKET"]
if bucket not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
PY
  )

  for port in "${WEB_PORTS[@]}"; do log "app server on $port"; start_web "$port"; done

  if ! alive "$RUN/worker.pid"; then
    supervise_worker >> "$STATE/log/worker.log" 2>&1 < /dev/null &
    echo $! > "$RUN/worker.pid"
  fi

  if ! alive "$RUN/nginx.pid"; then
    local conf=$STATE/nginx upstreams=()
    for port in "${WEB_PORTS[@]}"; do upstreams+=(--upstream "127.0.0.1:$port"); done
    # The same renderer as production (the upload limits come from the settings).
    (set -a; . "$STATE/env"; set +a
     "$PY" deploy/render_nginx.py "$conf" --listen "127.0.0.1:$NGINX_PORT" \
       --host "127.0.0.1:$NGINX_PORT" --host "localhost:$NGINX_PORT" "${upstreams[@]}" \
       --static-root "$STATE/static" --media-root "$STATE/media")
    cat > "$conf/nginx.conf" <<NGINX
$( [ "$(id -u)" = 0 ] && echo "user root;" )
worker_processes 1;
worker_shutdown_timeout 30s;
pid $RUN/nginx.pid;
error_log $STATE/log/nginx-error.log warn;
events { worker_connections 512; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    keepalive_timeout 30s;
    client_body_temp_path $conf/tmp/body;
    proxy_temp_path $conf/tmp/proxy;
    fastcgi_temp_path $conf/tmp/fastcgi;
    uwsgi_temp_path $conf/tmp/uwsgi;
    scgi_temp_path $conf/tmp/scgi;
    log_format main '\$remote_addr "\$request" \$status \$body_bytes_sent \$request_time '
                    'upstream=\$upstream_addr id=\$commonplace_request_id';
    access_log $STATE/log/nginx-access.log main;
    include $conf/request-id.conf;
    include $conf/commonplace.conf;
}
NGINX
    nginx -t -q -c "$conf/nginx.conf" -p "$conf" 2>>"$STATE/log/nginx-error.log"
    nginx -c "$conf/nginx.conf" -p "$conf"
    wait_for "$NGINX_PORT" nginx
  fi
  log "ready: http://127.0.0.1:$NGINX_PORT/ (app servers: ${WEB_PORTS[*]}; logs: $STATE/log)"
}

stop_pid() {  # pid file, name
  local file=$1
  local pid
  # The process may remove its own pid file meanwhile (nginx does on quit).
  pid=$(cat "$file" 2>/dev/null) || return 0
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $2 ($pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

stop() {
  [ -d "$RUN" ] || { log "nothing to stop"; return 0; }
  if [ -f "$RUN/nginx.pid" ] && kill -0 "$(cat "$RUN/nginx.pid")" 2>/dev/null; then
    nginx -c "$STATE/nginx/nginx.conf" -p "$STATE/nginx" -s quit 2>/dev/null || true
  fi
  stop_pid "$RUN/nginx.pid" nginx
  for file in "$RUN"/web-*.pid; do [ -e "$file" ] && stop_pid "$file" "app server"; done
  stop_pid "$RUN/worker.pid" "task worker"
  stop_pid "$RUN/worker-child.pid" "task worker process"
  stop_pid "$RUN/moto.pid" "S3 server"
  stop_pid "$RUN/redis.pid" Redis
  if [ -f "$RUN/postgres.started" ]; then
    log "stopping PostgreSQL (started by the cluster)"
    pg_ctlcluster --skip-systemctl-redirect "$(cat "$RUN/postgres.started")" main stop || true
    rm -f "$RUN/postgres.started"
  fi
  log "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  stop-web) stop_pid "$RUN/web-$2.pid" "app server $2" ;;   # for the fail-over test
  start-web) start_web "$2" ;;
  restart-web) restart_web "$2" ;;  # drained first: the documented rolling restart
  *) echo "usage: $0 start|stop|restart-web PORT"; exit 2 ;;
esac
