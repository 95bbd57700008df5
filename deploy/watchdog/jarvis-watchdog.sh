#!/usr/bin/env bash
# Jarvis external watchdog — runs on the Home node (never on the node or VM that hosts Jarvis, and
# never managed by Jarvis). A systemd timer calls it every 60 s. It checks Jarvis's GET /health;
# when Jarvis has been unresponsive for FAIL_AFTER_SECONDS (default 300 = 5 minutes) it hard-restarts
# the management VM through the PVE API (pvesh), at most once per COOLDOWN_SECONDS, and only while the
# cluster is quorate (restarting cannot fix a quorum loss, and PVE refuses the start anyway).
#
# Settings: /etc/default/jarvis-watchdog (see jarvis-watchdog.default). Exit code is always 0 unless
# the script itself is misconfigured (2), so the timer keeps running.
set -uo pipefail

CONFIG_FILE="${WATCHDOG_CONFIG:-/etc/default/jarvis-watchdog}"
[ -r "$CONFIG_FILE" ] && . "$CONFIG_FILE"

JARVIS_HEALTH_URL="${JARVIS_HEALTH_URL:-http://192.168.1.65:8080/health}"
VMID="${VMID:-103}"
NODE="${NODE:-agent1}"                    # fallback when the live lookup fails
FAIL_AFTER_SECONDS="${FAIL_AFTER_SECONDS:-300}"
COOLDOWN_SECONDS="${COOLDOWN_SECONDS:-900}"
HEALTH_TIMEOUT_SECONDS="${HEALTH_TIMEOUT_SECONDS:-10}"
STATE_DIR="${STATE_DIR:-/var/lib/jarvis-watchdog}"
CURL="${CURL:-curl}"
PVESH="${PVESH:-pvesh}"
LOGGER="${LOGGER:-logger}"
NOW="${WATCHDOG_NOW:-$(date +%s)}"       # WATCHDOG_NOW: tests only

log() { "$LOGGER" -t jarvis-watchdog -- "$*" 2>/dev/null || true; echo "jarvis-watchdog: $*"; }

case "$VMID" in ''|*[!0-9]*) log "VMID '$VMID' is not a number"; exit 2 ;; esac
mkdir -p "$STATE_DIR" || { log "cannot create $STATE_DIR"; exit 2; }
FIRST_FAIL_FILE="$STATE_DIR/first-failure"
LAST_RESTART_FILE="$STATE_DIR/last-restart"

if "$CURL" -fsS -o /dev/null --max-time "$HEALTH_TIMEOUT_SECONDS" "$JARVIS_HEALTH_URL"; then
  if [ -f "$FIRST_FAIL_FILE" ]; then log "Jarvis healthy again"; rm -f "$FIRST_FAIL_FILE"; fi
  exit 0
fi

[ -f "$FIRST_FAIL_FILE" ] || echo "$NOW" > "$FIRST_FAIL_FILE"
first_fail="$(cat "$FIRST_FAIL_FILE")"
down_for=$(( NOW - first_fail ))
if [ "$down_for" -lt "$FAIL_AFTER_SECONDS" ]; then
  log "Jarvis unresponsive for ${down_for}s (restart after ${FAIL_AFTER_SECONDS}s)"
  exit 0
fi

if [ -f "$LAST_RESTART_FILE" ]; then
  since_restart=$(( NOW - $(cat "$LAST_RESTART_FILE") ))
  if [ "$since_restart" -lt "$COOLDOWN_SECONDS" ]; then
    log "Jarvis still unresponsive (${down_for}s), last restart ${since_restart}s ago: waiting for the cooldown (${COOLDOWN_SECONDS}s)"
    exit 0
  fi
fi

# Only act on a quorate cluster: without quorum PVE refuses to start guests.
if ! "$PVESH" get /cluster/status --output-format json 2>/dev/null | grep -Eq '"quorate"[[:space:]]*:[[:space:]]*"?1'; then
  log "Jarvis unresponsive for ${down_for}s but the cluster is not quorate (or pvesh failed): not restarting VM $VMID"
  exit 0
fi

# Where does the VM run now? (It may have been migrated.)
live_node="$("$PVESH" get /cluster/resources --type vm --output-format json 2>/dev/null \
  | perl -MJSON::PP -e 'my $d = eval { decode_json(join("", <STDIN>)) } || []; for (@$d) { if (($_->{vmid} // "") eq $ARGV[0]) { print $_->{node}; last } }' "$VMID" 2>/dev/null)"
node="${live_node:-$NODE}"

log "Jarvis unresponsive for ${down_for}s: hard-restarting VM $VMID on $node"
echo "$NOW" > "$LAST_RESTART_FILE"
"$PVESH" create "/nodes/$node/qemu/$VMID/status/stop" --timeout 60 >/dev/null 2>&1 || log "stop of VM $VMID failed (continuing with start)"
if "$PVESH" create "/nodes/$node/qemu/$VMID/status/start" >/dev/null 2>&1; then
  log "VM $VMID started; Jarvis gets ${FAIL_AFTER_SECONDS}s to answer again"
else
  log "start of VM $VMID on $node FAILED: check the node by hand"
fi
rm -f "$FIRST_FAIL_FILE"
exit 0
