#!/usr/bin/env bash
# Pages through the cluster's nginx with one app server, then with two (make cluster
# must be running). Same demo data, same wrk load; only the number of app servers
# behind nginx changes.
#
#   make cluster && bash bench/cluster.sh && make cluster-stop
#   DURATION=20s CONNECTIONS=32 bash bench/cluster.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
[ -f .cluster/env ] || { echo "no cluster: run make cluster first"; exit 1; }
set -a; . .cluster/env; set +a
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
NGINX="http://127.0.0.1:${CLUSTER_NGINX_PORT}"
IFS=, read -r -a PORTS <<<"$CLUSTER_WEB_PORTS"
mkdir -p bench/results

.venv/bin/python manage.py shell -c "
from blog.models import Course
import sys; sys.exit(0 if Course.objects.filter(slug='hist-247').exists() else 1)" \
  || .venv/bin/python manage.py seed_demo --force > /dev/null
POST=$(.venv/bin/python manage.py shell -v0 -c "
from blog.models import Post
print(Post.objects.published().filter(course__slug='hist-247').first().get_absolute_url())" | tail -1)

run() {  # label
  for path in /healthz / /c/hist-247/ "$POST"; do
    curl -sf -o /dev/null "$NGINX$path"  # warm up
    out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$NGINX$path")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    printf '%-16s %-34s %10s %10s %10s %8s\n' "$1" "$path" "$rps" "$p50" "$p99" "${errors:-0}"
  done
}

{
  printf '%-16s %-34s %10s %10s %10s %8s\n' servers page req/s p50 p99 non-2xx
  bash deploy/cluster.sh stop-web "${PORTS[1]}" > /dev/null
  sleep 6  # past nginx's fail_timeout for the stopped server
  run "1 app server"
  bash deploy/cluster.sh start-web "${PORTS[1]}" > /dev/null
  run "2 app servers"
} | tee bench/results/cluster.txt
echo "(${CONNECTIONS} connections, ${DURATION} a page, $(nproc) cores; results in bench/results/cluster.txt)"
