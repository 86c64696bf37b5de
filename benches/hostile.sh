#!/usr/bin/env bash
# Hostile drafts: text of one claim repeated until it is megabytes long must
# cost about what a clean text of the same size costs, and the output must stay
# bounded by --max-findings-per-post. Usage: benches/hostile.sh [MB] (default 4)
#
# Prints wall time and peak RSS of each case and its ratio to the clean draft
# of the same size, measured in the same run, and fails if a case takes longer
# than LIMIT seconds (default 2) or lists more findings than the cap.
set -euo pipefail
cd "$(dirname "$0")/.."

MB=${1:-4}
LIMIT=${LIMIT:-2}
POLICY=policies/brightwater.toml
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT

echo "== build"
cargo build --release --locked --quiet
PG=${POSTGUARD:-target/release/postguard}

python3 - "$DATA" "$MB" <<'PY'
import json, sys
out, mb = sys.argv[1], int(sys.argv[2])
size = mb * 1024 * 1024
claim = "this fund offers guaranteed returns. "
clean = "the team met in denver to plan the spring volunteer day. "
open(f"{out}/claims.txt", "w").write(claim * (size // len(claim)))
open(f"{out}/clean.txt", "w").write(clean * (size // len(clean)))
# One post just under scan's 1 MB post limit.
post = claim * ((950 * 1024) // len(claim))
with open(f"{out}/claims.jsonl", "w") as f:
    f.write(json.dumps({"id": "p1", "author": "a", "text": post}) + "\n")
PY

# measure NAME COMMAND... : prints seconds and peak KB, keeps stdout in $DATA/NAME.out
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$DATA/$name.time" "$@" >"$DATA/$name.out" 2>"$DATA/$name.err" || true
  read -r secs kb < <(tail -n 1 "$DATA/$name.time")
  eval "${name}_secs=$secs"
  printf '%-34s %7.2f s %8d KB\n' "$name" "$secs" "$kb"
}

echo "== ${MB} MB drafts ($(nproc) cores)"
measure clean     "$PG" --policy "$POLICY" check "$DATA/clean.txt"
measure claims_human "$PG" --policy "$POLICY" check "$DATA/claims.txt"
measure claims_json  "$PG" --policy "$POLICY" check "$DATA/claims.txt" --format json
measure scan_950k "$PG" --policy "$POLICY" scan "$DATA/claims.jsonl" --out "$DATA/out" --exit-zero --quiet

fail=0
for case in claims_human claims_json scan_950k; do
  secs=${case}_secs
  ratio=$(python3 -c "print(f'{${!secs} / max($clean_secs, 0.01):.1f}')")
  echo "$case: ${ratio}x the clean draft"
  if python3 -c "import sys; sys.exit(0 if ${!secs} <= $LIMIT else 1)"; then :; else
    echo "FAIL: $case took ${!secs} s (limit $LIMIT s)"; fail=1
  fi
done

listed=$(python3 -c "import json; print(len(json.load(open('$DATA/claims_json.out'))))")
shown=$(grep -c '^error\[' "$DATA/claims_human.out" || true)
lines=$(wc -l <"$DATA/out/findings.jsonl")
echo "findings listed: json $listed, human $shown, scan $lines (cap 1000)"
grep -h 'more findings' "$DATA/claims_json.err" || true
for n in "$listed" "$shown" "$lines"; do
  [ "$n" -le 1000 ] || { echo "FAIL: $n findings listed, more than the cap"; fail=1; }
done
exit $fail
