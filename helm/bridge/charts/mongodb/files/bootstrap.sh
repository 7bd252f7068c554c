#!/usr/bin/env bash
# Sidecar of every MongoDB member. Waits for the local mongod, then runs bootstrap.js against it, and
# repeats every minute: the kubelet updates the mounted Secret in place, so a changed password reaches
# MongoDB without a restart. Touches a heartbeat file that the container's probes check.
set -uo pipefail
export ORDINAL="${POD_NAME##*-}"
heartbeat=/tmp/bootstrap.heartbeat
last_applied=""
log() { printf '%s bootstrap[%s]: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$ORDINAL" "$*"; }
local_mongo() { mongosh --quiet --norc --host 127.0.0.1 --port 27017 "$@"; }

while true; do
  touch "$heartbeat"
  if local_mongo --eval 'quit(db.adminCommand({ping: 1}).ok ? 0 : 1)' >/dev/null 2>&1; then
    secret_sum="$(cat /auth/* | sha256sum | cut -d' ' -f1)"
    if out="$(SECRET_SUM="$secret_sum" LAST_APPLIED="$last_applied" local_mongo --file /scripts/bootstrap.js 2>&1)"; then
      [ -n "$out" ] && log "$out"
      case "$out" in *"users in sync"*) last_applied="$secret_sum" ;; esac
    else
      log "not yet: $out"
    fi
  else
    log "waiting for mongod"
  fi
  sleep "${BOOTSTRAP_INTERVAL_SECONDS:-60}"
done
