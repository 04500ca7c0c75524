#!/usr/bin/env bash
# Three SlaGrains servers (each an Orleans silo co-hosting the web app) on loopback, forming one cluster on one
# PostgreSQL. Ctrl-C (or SIGTERM) stops the silos gracefully, then the throwaway database if this script made one.
#
#   scripts/cluster.sh
#
# Environment (all optional):
#   SLAGRAINS_CONNECTION_STRING  an Npgsql connection string to an existing, empty or SlaGrains database; without it a
#                                throwaway PostgreSQL is created from the installed binaries and deleted at the end
#   ADMIN_PASSWORD               the first admin's password (generated and printed when unset)
#   CLUSTER_ID, SERVICE_ID       Orleans cluster and service ids (default: slagrains, slagrains)
#   SILOS                        how many silos (default 3)
#   HTTP_PORT_BASE, SILO_PORT_BASE, GATEWAY_PORT_BASE
#                                first ports; silo i uses base + i - 1 (default 5001, 11111, 30000)
#   CONFIGURATION                Release (default) or Debug
set -euo pipefail
cd "$(dirname "$0")/.."

SILOS=${SILOS:-3}
HTTP_PORT_BASE=${HTTP_PORT_BASE:-5001}
SILO_PORT_BASE=${SILO_PORT_BASE:-11111}
GATEWAY_PORT_BASE=${GATEWAY_PORT_BASE:-30000}
CLUSTER_ID=${CLUSTER_ID:-slagrains}
SERVICE_ID=${SERVICE_ID:-slagrains}
CONFIGURATION=${CONFIGURATION:-Release}
STOP_GRACE_SECONDS=30

say() { printf 'cluster.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

command -v dotnet >/dev/null || die "dotnet is not on PATH (install the .NET 10 SDK)."
command -v curl >/dev/null || die "curl is not on PATH (it is used to wait for /health/ready)."

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

for ((i = 0; i < SILOS; i++)); do
  for port in $((HTTP_PORT_BASE + i)) $((SILO_PORT_BASE + i)) $((GATEWAY_PORT_BASE + i)); do
    port_in_use "$port" && die "port $port on 127.0.0.1 is in use: stop what uses it or set HTTP_PORT_BASE / SILO_PORT_BASE / GATEWAY_PORT_BASE."
  done
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/slagrains-cluster-XXXXXX")
PG_BIN=""
PG_ROOT=""
PG_DATA=""
AS_POSTGRES=()
PIDS=()
STOPPING=0

stop_database() {
  if [[ -n "$PG_ROOT" && -d "$PG_ROOT" ]]; then
    say "stopping the throwaway PostgreSQL"
    "${AS_POSTGRES[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_ROOT"
  fi
}

stop_all() {
  ((STOPPING)) && return
  STOPPING=1
  trap '' INT TERM
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # Grains deactivate and write their state on a graceful stop; only what does not stop in time is killed.
  for ((waited = 0; waited < STOP_GRACE_SECONDS * 10; waited++)); do
    local alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      say "silo (pid $pid) did not stop within ${STOP_GRACE_SECONDS} s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  wait 2>/dev/null || true
  stop_database
  say "stopped; logs are in $WORK"
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

start_database() {
  PG_BIN=$(pg_config --bindir 2>/dev/null || true)
  if [[ ! -x "$PG_BIN/initdb" ]]; then
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  fi
  [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] \
    || die "no PostgreSQL server binaries (initdb, pg_ctl) found: apt-get install postgresql, or set SLAGRAINS_CONNECTION_STRING."

  PG_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/slagrains-cluster-pg-XXXXXX")
  if [[ $(id -u) -eq 0 ]]; then
    # initdb refuses to run as root: run the server as Debian's postgres system user.
    id -u postgres >/dev/null 2>&1 || die "running as root needs the postgres system user (apt-get install postgresql creates it)."
    chown postgres: "$PG_ROOT"
    AS_POSTGRES=(runuser -u postgres --)
  fi

  local port
  for ((port = 25432; port < 25532; port++)); do port_in_use "$port" || break; done
  PG_DATA="$PG_ROOT/data"
  "${AS_POSTGRES[@]}" "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres -E UTF8 --no-locale >"$WORK/initdb.log" 2>&1 \
    || die "initdb failed: see $WORK/initdb.log"
  # Its own session, so that Ctrl-C in this terminal reaches the silos (which stop gracefully) and not the database
  # they are still writing to.
  setsid "${AS_POSTGRES[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_ROOT/server.log" -w -t 60 \
    -o "-p $port -k $PG_ROOT -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null \
    || die "PostgreSQL did not start: see $PG_ROOT/server.log"
  "${AS_POSTGRES[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres slagrains
  CONNECTION_STRING="Host=127.0.0.1;Port=$port;Username=postgres;Database=slagrains"
  say "throwaway PostgreSQL on 127.0.0.1:$port (deleted when this script stops)"
}

if [[ -n "${SLAGRAINS_CONNECTION_STRING:-}" ]]; then
  CONNECTION_STRING=$SLAGRAINS_CONNECTION_STRING
  say "using the PostgreSQL database from SLAGRAINS_CONNECTION_STRING"
else
  start_database
fi

say "building src/SlaGrains.Server ($CONFIGURATION)"
dotnet build src/SlaGrains.Server -c "$CONFIGURATION" -nologo -v q >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; die "build failed"; }
SERVER_DLL="$PWD/src/SlaGrains.Server/bin/$CONFIGURATION/net10.0/SlaGrains.Server.dll"
[[ -f "$SERVER_DLL" ]] || die "the build did not produce $SERVER_DLL"

ADMIN_PASSWORD=${ADMIN_PASSWORD:-$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 20)}

for ((i = 1; i <= SILOS; i++)); do
  mkdir -p "$WORK/silo$i"
  # Every silo gets the same cluster, service, database and admin password; only its ports differ. The password
  # is given to all because whichever silo wins the first run creates the admin with it.
  (cd "$WORK/silo$i" && exec dotnet "$SERVER_DLL" \
    --urls "http://127.0.0.1:$((HTTP_PORT_BASE + i - 1))" \
    --Orleans:SiloPort=$((SILO_PORT_BASE + i - 1)) \
    --Orleans:GatewayPort=$((GATEWAY_PORT_BASE + i - 1)) \
    --Orleans:ClusterId="$CLUSTER_ID" \
    --Orleans:ServiceId="$SERVICE_ID" \
    --Storage:Provider=postgresql \
    --Storage:ConnectionString="$CONNECTION_STRING" \
    --Admin:Password="$ADMIN_PASSWORD" \
    >"$WORK/silo$i.log" 2>&1) &
  PIDS+=($!)
done

for ((i = 1; i <= SILOS; i++)); do
  url="http://127.0.0.1:$((HTTP_PORT_BASE + i - 1))"
  for ((tries = 0; ; tries++)); do
    curl -fsS -o /dev/null --max-time 5 "$url/health/ready" 2>/dev/null && break
    kill -0 "${PIDS[i - 1]}" 2>/dev/null || die "silo $i exited while starting: see $WORK/silo$i.log"
    ((tries < 600)) || die "silo $i was not ready within 2 minutes: see $WORK/silo$i.log"
    sleep 0.2
  done
done

echo
echo "SlaGrains: $SILOS silos in cluster '$CLUSTER_ID' (service '$SERVICE_ID'), all ready:"
for ((i = 1; i <= SILOS; i++)); do
  echo "  silo $i: http://127.0.0.1:$((HTTP_PORT_BASE + i - 1))   (silo port $((SILO_PORT_BASE + i - 1)), gateway $((GATEWAY_PORT_BASE + i - 1)), log $WORK/silo$i.log)"
done
echo "  sign in as admin / $ADMIN_PASSWORD on any of them (one sign-in cookie is good on every silo)"
echo "  Ctrl-C stops them all."
echo

# A silo that dies (or that you kill to watch the others take over) is reported; the script waits for the rest.
reported=$SILOS
while :; do
  remaining=0
  for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && remaining=$((remaining + 1)); done
  ((remaining == 0)) && break
  ((remaining < reported)) && say "$((SILOS - remaining)) silo(s) stopped; $remaining still running"
  reported=$remaining
  sleep 1
done
say "every silo stopped"
