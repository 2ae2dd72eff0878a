#!/usr/bin/env bash
# What a new user does first, on a fresh clone of this commit: the README's run command exactly as
# written (install, then `pnpm start` in the background with its own database, key prefix and
# ports), then the README's quickstart block as written (a token, a job enqueued with the CLI and
# watched to `completed`), then Ctrl-C's SIGTERM to the whole process group and a clean stop.
# Any step that fails fails CI: the first thing a new user types must work.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"

step() { printf '\n==> fresh clone: %s\n' "$*"; }
# A fenced ```sh block of the README that follows the marker line `<!-- $1 -->`.
readme_block() {
  awk -v marker="<!-- $1 -->" '
    $0 == marker { found = 1; next }
    found && /^```sh$/ { inside = 1; next }
    inside && /^```$/ { exit }
    inside { print }
  ' "$repo/README.md"
}

run_cmd="$(readme_block run)"
quickstart="$(readme_block quickstart)"
[ -n "$run_cmd" ] || { echo "README has no <!-- run --> block" >&2; exit 1; }
[ -n "$quickstart" ] || { echo "README has no <!-- quickstart --> block" >&2; exit 1; }

work="$(mktemp -d)"
clone="$work/jobstream"
step "git clone"
git clone -q "$repo" "$clone"
cd "$clone"

db="jobstream_ci_fresh_$$"
port=3910
health=3911
log="$work/start.log"
cleanup() {
  if [ -n "${pid:-}" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM -- "-$pid" 2>/dev/null || true; fi
  # From a directory that still exists: psql refuses to run in a deleted one.
  (cd / && psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)") >/dev/null ||
    echo "warning: could not drop the fresh clone's database $db" >&2
  rm -rf "$work"
}
trap cleanup EXIT

step "README run command, in the background: $run_cmd"
DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$db" QUEUE_PREFIX="ci-fresh-$$" PORT=$port HEALTH_PORT=$health \
  setsid bash -c "$run_cmd" >"$log" 2>&1 &
pid=$!
ready=""
for _ in $(seq 1 240); do
  if curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && curl -sf "http://127.0.0.1:$health/readyz" >/dev/null &&
    curl -sf "http://127.0.0.1:$port/dashboard/" | grep -q '<div id="root">'; then
    ready=yes
    break
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 1
done
if [ -z "$ready" ]; then
  cat "$log"
  echo "the README's run command did not become ready on a fresh clone" >&2
  exit 1
fi
echo "ready: api :$port, worker :$health"

step "development mode printed a sign-in link, and its token signs the dashboard in"
link=""
for _ in $(seq 1 30); do
  link="$(grep -o "http://localhost:$port/dashboard/#token=[A-Za-z0-9._-]*" "$log" | head -n1 || true)"
  [ -n "$link" ] && break
  sleep 1
done
[ -n "$link" ] || { cat "$log"; echo "pnpm start printed no sign-in link in development mode" >&2; exit 1; }
echo "sign-in link: ${link%%#*}#token=…"
session="$(curl -sf -X POST "http://127.0.0.1:$port/v1/session" -H "authorization: Bearer ${link##*#token=}")" ||
  { echo "the sign-in link's token was refused by POST /v1/session" >&2; exit 1; }
echo "session: $session"

step "README quickstart, as written"
printf '%s\n' "$quickstart"
if ! JOBSTREAM_URL="http://127.0.0.1:$port" timeout 180 bash -euo pipefail -c "$quickstart"; then
  cat "$log"
  echo "the README's quickstart failed on a fresh clone" >&2
  exit 1
fi

step "stop (SIGTERM to the process group, as Ctrl-C does)"
kill -TERM -- "-$pid" 2>/dev/null || true
wait "$pid" || true
for _ in $(seq 1 30); do
  grep -q '"service":"api".*"msg":"stopped"' "$log" && grep -q '"service":"worker".*"msg":"stopped"' "$log" && break
  sleep 1
done
grep -q '"service":"api".*"msg":"stopped"' "$log" || { cat "$log"; echo "api did not stop cleanly" >&2; exit 1; }
grep -q '"service":"worker".*"msg":"stopped"' "$log" || { cat "$log"; echo "worker did not stop cleanly" >&2; exit 1; }
echo "fresh clone: ok"
