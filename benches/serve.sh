#!/usr/bin/env bash
# Load test of `postguard serve` from a second process on loopback (wrk):
# the 300-character draft of benches/serve_draft.txt, 64 connections, 60 s.
# Also measures, in the same run: the anchor (Engine::check of the same draft
# in process), one-connection latency, RSS before and after 1M requests, and
# the reload time of the Brightwater policy.
#
#   benches/serve.sh            DURATION=60 CONNS=64 TOTAL=1000000 by default
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-60}
CONNS=${CONNS:-64}
TOTAL=${TOTAL:-1000000}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is missing: apt-get install curl" >&2; exit 2; }

cargo build --release --locked --quiet
bin=target/release/postguard
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== anchor: Engine::check of the same draft, in process"
anchor=$(cargo bench --locked --quiet --bench engine_check | tee /dev/stderr | grep -o '[0-9.]* µs' | cut -d' ' -f1)

# The policy names files relative to itself, so it is served in place; the
# reload test only touches it (its content is never changed).
policy=policies/brightwater.toml
"$bin" serve --policy "$policy" --addr 127.0.0.1:0 --reload-interval 50 2>"$work/log" &
pid=$!
for _ in $(seq 100); do grep -q 'listening on' "$work/log" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$work/log" | head -1 || true)
[ -n "$url" ] || { cat "$work/log" >&2; exit 1; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
field() { grep "^$1 " "$2" | cut -d' ' -f2; }
served=0
load() { # load CONNECTIONS SECONDS OUT
  wrk -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" -d"$2"s --timeout 5s -s benches/serve_check.lua "$url" >"$3"
  [ "$(field non2xx "$3")" = 0 ] || { echo "non-2xx responses:" >&2; cat "$3" >&2; exit 1; }
  served=$((served + $(field requests "$3")))
}

load 8 3 "$work/warm"
rss_before=$(rss)

echo "== 1 connection, 10 s"
load 1 10 "$work/c1"
echo "== $CONNS connections, $DURATION s"
load "$CONNS" "$DURATION" "$work/load"
# Top up to TOTAL requests for the memory figure (bounded: at most 20 more runs).
for _ in $(seq 20); do
  [ "$served" -ge "$TOTAL" ] && break
  load "$CONNS" 10 "$work/more"
done
rss_after=$(rss)

echo "== reload of the Brightwater policy (5 times)"
reloads() { curl -s "$url/v1/policy" | grep -o '"reloads":[0-9]*' | cut -d: -f2; }
compile=()
wall=()
for _ in 1 2 3 4 5; do
  before=$(reloads)
  t0=$(date +%s%N)
  touch "$policy"
  until [ "$(reloads)" != "$before" ]; do sleep 0.005; done
  t1=$(date +%s%N)
  wall+=($(( (t1 - t0) / 1000000 )))
  compile+=("$(curl -s "$url/v1/policy" | grep -o '"last_reload_ms":[0-9.]*' | cut -d: -f2)")
  sleep 0.2
done
median() { printf '%s\n' "$@" | sort -n | sed -n 3p; }

c1_p50=$(field p50_us "$work/c1")
echo
echo "== results ($(nproc) cores; server and wrk share them)"
echo "requests/s at $CONNS connections:   $(field rps "$work/load")"
echo "latency at $CONNS connections:      p50 $(field p50_us "$work/load") µs, p99 $(field p99_us "$work/load") µs"
echo "latency at 1 connection:           p50 $c1_p50 µs, p99 $(field p99_us "$work/c1") µs, $(field rps "$work/c1") requests/s"
echo "in-process Engine::check (anchor):  $anchor µs"
awk -v s="$c1_p50" -v a="$anchor" 'BEGIN { printf "served check / in-process check:    %.1fx (1-connection p50 over the anchor)\n", s / a }'
awk -v r="$(field rps "$work/load")" -v a="$anchor" -v n="$(nproc)" 'BEGIN { printf "CPU per served check / anchor:      %.1fx (%d cores / requests/s, over the anchor)\n", (n * 1e6 / r) / a, n }'
echo "RSS before / after $served requests: ${rss_before} KiB / ${rss_after} KiB"
echo "policy reload (median of 5):        compile $(printf '%.1f' "$(median "${compile[@]}")") ms; edit to swap $(median "${wall[@]}") ms (polling every 50 ms)"
