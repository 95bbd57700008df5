#!/usr/bin/env bash
# Jarvis external watchdog — runs on the Home node (never on the node or VM that hosts Jarvis, and
# never managed by Jarvis). A systemd timer calls it every 60 s. It checks Jarvis's GET /health;
# when Jarvis has been unresponsive for FAIL_AFTER_SECONDS (default 300 = 5 minutes) it restarts the
# management VM through the PVE API (pvesh): a graceful shutdown first, a hard stop only if that
# does not end it, then a start. Guard rails, so that it can never loop:
#   - backoff: the wait after the n-th restart of an outage is COOLDOWN_SECONDS * 2^(n-1), capped at
#     MAX_BACKOFF_SECONDS (15 min, 30, 60, 120 ... 6 h);
#   - a cap: at most MAX_RESTARTS_PER_DAY restarts in any 24 h; then it gives up, says so once
#     (syslog always; ntfy/webhook when configured) and waits for Jarvis to come back or a `resume`;
#   - it never starts a VM that is stopped on purpose (stopped, and not by this watchdog) or locked
#     (backup, migration, snapshot), nor acts while the cluster is not quorate;
#   - `jarvis-watchdog pause [reason]` stops every action until `jarvis-watchdog resume`.
#
# Usage: jarvis-watchdog [check|pause [REASON]|resume|status]   (the timer runs `check`)
# Settings: /etc/default/jarvis-watchdog (see jarvis-watchdog.default). Exit 0 unless misconfigured (2).
set -uo pipefail

CONFIG_FILE="${WATCHDOG_CONFIG:-/etc/default/jarvis-watchdog}"
[ -r "$CONFIG_FILE" ] && . "$CONFIG_FILE"

JARVIS_HEALTH_URL="${JARVIS_HEALTH_URL:-http://192.168.1.65:8080/health}"
VMID="${VMID:-103}"
NODE="${NODE:-agent1}"                    # fallback when the live lookup fails
FAIL_AFTER_SECONDS="${FAIL_AFTER_SECONDS:-300}"
COOLDOWN_SECONDS="${COOLDOWN_SECONDS:-900}"
MAX_BACKOFF_SECONDS="${MAX_BACKOFF_SECONDS:-21600}"
MAX_RESTARTS_PER_DAY="${MAX_RESTARTS_PER_DAY:-3}"
SHUTDOWN_TIMEOUT_SECONDS="${SHUTDOWN_TIMEOUT_SECONDS:-120}"
HEALTH_TIMEOUT_SECONDS="${HEALTH_TIMEOUT_SECONDS:-10}"
NTFY_URL="${NTFY_URL:-}"                  # e.g. https://ntfy.sh/my-homelab (optional)
WEBHOOK_URL="${WEBHOOK_URL:-}"            # receives a JSON POST (optional)
STATE_DIR="${STATE_DIR:-/var/lib/jarvis-watchdog}"
CURL="${CURL:-curl}"
PVESH="${PVESH:-pvesh}"
LOGGER="${LOGGER:-logger}"
NOW="${WATCHDOG_NOW:-$(date +%s)}"       # WATCHDOG_NOW: tests only

log() { "$LOGGER" -t jarvis-watchdog -- "$*" 2>/dev/null || true; echo "jarvis-watchdog: $*"; }

for setting in VMID FAIL_AFTER_SECONDS COOLDOWN_SECONDS MAX_BACKOFF_SECONDS MAX_RESTARTS_PER_DAY SHUTDOWN_TIMEOUT_SECONDS; do
  case "${!setting}" in ''|*[!0-9]*) log "$setting '${!setting}' is not a number"; exit 2 ;; esac
done
mkdir -p "$STATE_DIR" || { log "cannot create $STATE_DIR"; exit 2; }
FIRST_FAIL_FILE="$STATE_DIR/first-failure"
RESTARTS_FILE="$STATE_DIR/restarts"       # one epoch per restart (last 24 h kept)
OUTAGE_FILE="$STATE_DIR/outage-restarts"  # restarts in the current outage (backoff exponent)
GAVE_UP_FILE="$STATE_DIR/gave-up"
PAUSED_FILE="$STATE_DIR/paused"
STOPPED_BY_US_FILE="$STATE_DIR/stopped-by-watchdog"

alert() {
  log "ALERT: $*"
  [ -n "$NTFY_URL" ] && "$CURL" -fsS --max-time 10 -H "Title: Jarvis watchdog" -H "Priority: high" -H "Tags: warning" -d "$*" "$NTFY_URL" >/dev/null 2>&1
  [ -n "$WEBHOOK_URL" ] && "$CURL" -fsS --max-time 10 -H 'content-type: application/json' \
    -d "{\"source\":\"jarvis-watchdog\",\"vmid\":$VMID,\"at\":$NOW,\"message\":\"${*//\"/\'}\"}" "$WEBHOOK_URL" >/dev/null 2>&1
  return 0
}

case "${1:-check}" in
  pause)
    shift
    echo "$NOW ${*:-paused by hand}" > "$PAUSED_FILE"
    log "paused (${*:-no reason given}): no action until \`jarvis-watchdog resume\`"
    exit 0 ;;
  resume)
    rm -f "$PAUSED_FILE" "$GAVE_UP_FILE" "$OUTAGE_FILE" "$FIRST_FAIL_FILE"
    log "resumed: watching Jarvis again (restart count of this outage reset)"
    exit 0 ;;
  status)
    [ -f "$PAUSED_FILE" ] && echo "paused since $(cat "$PAUSED_FILE")"
    [ -f "$GAVE_UP_FILE" ] && echo "gave up at $(cat "$GAVE_UP_FILE") (resume with \`jarvis-watchdog resume\`)"
    [ -f "$FIRST_FAIL_FILE" ] && echo "Jarvis unresponsive since $(cat "$FIRST_FAIL_FILE")"
    echo "restarts in the last 24 h: $( [ -f "$RESTARTS_FILE" ] && awk -v now="$NOW" '$1 > now - 86400' "$RESTARTS_FILE" | wc -l || echo 0)"
    exit 0 ;;
  check) ;;
  *) log "unknown command '$1' (check | pause [reason] | resume | status)"; exit 2 ;;
esac

if [ -f "$PAUSED_FILE" ]; then
  log "paused ($(cat "$PAUSED_FILE")): not checking"
  exit 0
fi

if "$CURL" -fsS -o /dev/null --max-time "$HEALTH_TIMEOUT_SECONDS" "$JARVIS_HEALTH_URL"; then
  if [ -f "$FIRST_FAIL_FILE" ] || [ -f "$GAVE_UP_FILE" ]; then log "Jarvis healthy again"; fi
  rm -f "$FIRST_FAIL_FILE" "$GAVE_UP_FILE" "$OUTAGE_FILE" "$STOPPED_BY_US_FILE"
  exit 0
fi

[ -f "$FIRST_FAIL_FILE" ] || echo "$NOW" > "$FIRST_FAIL_FILE"
down_for=$(( NOW - $(cat "$FIRST_FAIL_FILE") ))
if [ "$down_for" -lt "$FAIL_AFTER_SECONDS" ]; then
  log "Jarvis unresponsive for ${down_for}s (restart after ${FAIL_AFTER_SECONDS}s)"
  exit 0
fi

if [ -f "$GAVE_UP_FILE" ]; then
  log "Jarvis unresponsive for ${down_for}s; gave up at $(cat "$GAVE_UP_FILE") after $MAX_RESTARTS_PER_DAY restarts in 24 h: not acting (\`jarvis-watchdog resume\` to try again)"
  exit 0
fi

# Restarts in the last 24 h (the file keeps only those).
touch "$RESTARTS_FILE"
awk -v now="$NOW" '$1 > now - 86400' "$RESTARTS_FILE" > "$RESTARTS_FILE.tmp" && mv "$RESTARTS_FILE.tmp" "$RESTARTS_FILE"
today=$(wc -l < "$RESTARTS_FILE")
if [ "$today" -ge "$MAX_RESTARTS_PER_DAY" ]; then
  echo "$NOW" > "$GAVE_UP_FILE"
  alert "Jarvis (VM $VMID) unresponsive for ${down_for}s after $today restarts in 24 h: giving up. Check VM $VMID by hand; \`jarvis-watchdog resume\` re-enables restarts."
  exit 0
fi

# Backoff inside one outage: COOLDOWN * 2^(n-1) after the n-th restart, capped.
outage=$( [ -f "$OUTAGE_FILE" ] && cat "$OUTAGE_FILE" || echo 0 )
if [ "$outage" -gt 0 ]; then
  wait_for=$COOLDOWN_SECONDS
  for (( i = 1; i < outage; i++ )); do wait_for=$(( wait_for * 2 )); [ "$wait_for" -ge "$MAX_BACKOFF_SECONDS" ] && break; done
  [ "$wait_for" -gt "$MAX_BACKOFF_SECONDS" ] && wait_for=$MAX_BACKOFF_SECONDS
  since_restart=$(( NOW - $(tail -n 1 "$RESTARTS_FILE" 2>/dev/null || echo 0) ))
  if [ "$since_restart" -lt "$wait_for" ]; then
    log "Jarvis still unresponsive (${down_for}s), restart $outage of this outage was ${since_restart}s ago: backing off (${wait_for}s)"
    exit 0
  fi
fi

# Only act on a quorate cluster: without quorum PVE refuses to start guests.
if ! "$PVESH" get /cluster/status --output-format json 2>/dev/null | grep -Eq '"quorate"[[:space:]]*:[[:space:]]*"?1'; then
  log "Jarvis unresponsive for ${down_for}s but the cluster is not quorate (or pvesh failed): not restarting VM $VMID"
  exit 0
fi

# Where does the VM run now (it may have been migrated), and in what state?
read -r node vm_status vm_lock < <("$PVESH" get /cluster/resources --type vm --output-format json 2>/dev/null \
  | perl -MJSON::PP -e 'my $d = eval { decode_json(join("", <STDIN>)) } || []; for (@$d) { if (($_->{vmid} // "") eq $ARGV[0]) { print join(" ", $_->{node} // "-", $_->{status} // "-", $_->{lock} || "-"), "\n"; last } }' "$VMID" 2>/dev/null)
[ -n "${node:-}" ] && [ "$node" != "-" ] || node="$NODE"

if [ "${vm_lock:--}" != "-" ]; then
  log "VM $VMID on $node is locked (${vm_lock}): a backup, migration or snapshot is running; not acting"
  exit 0
fi
if [ "${vm_status:-}" = "stopped" ] && [ ! -f "$STOPPED_BY_US_FILE" ]; then
  log "VM $VMID on $node is stopped and this watchdog did not stop it: stopped on purpose, not starting it (\`jarvis-watchdog pause\` silences this)"
  exit 0
fi

outage=$(( outage + 1 ))
echo "$outage" > "$OUTAGE_FILE"
echo "$NOW" >> "$RESTARTS_FILE"
log "Jarvis unresponsive for ${down_for}s: restarting VM $VMID on $node (restart $outage of this outage, $(( today + 1 ))/$MAX_RESTARTS_PER_DAY in 24 h)"
if [ "${vm_status:-}" != "stopped" ]; then
  touch "$STOPPED_BY_US_FILE"
  if ! "$PVESH" create "/nodes/$node/qemu/$VMID/status/shutdown" --timeout "$SHUTDOWN_TIMEOUT_SECONDS" >/dev/null 2>&1; then
    log "graceful shutdown of VM $VMID did not finish in ${SHUTDOWN_TIMEOUT_SECONDS}s: hard stop"
    "$PVESH" create "/nodes/$node/qemu/$VMID/status/stop" --timeout 60 >/dev/null 2>&1 || log "stop of VM $VMID failed (continuing with start)"
  fi
fi
if "$PVESH" create "/nodes/$node/qemu/$VMID/status/start" >/dev/null 2>&1; then
  rm -f "$STOPPED_BY_US_FILE"
  log "VM $VMID started; Jarvis gets ${FAIL_AFTER_SECONDS}s to answer again"
else
  log "start of VM $VMID on $node FAILED: check the node by hand"
fi
# A new grace period before the next judgement of this outage.
echo "$NOW" > "$FIRST_FAIL_FILE"
exit 0
