#!/usr/bin/env bash
# Hostile input. Usage: benches/hostile.sh [MB] (default 4)
#
# 1. Text of one claim repeated until it is MB megabytes long must cost about
#    what a clean text of the same size costs, and the output must stay
#    bounded by --max-findings-per-post. Prints wall time and peak RSS of each
#    case and its ratio to the clean draft, measured in the same run; fails if
#    a case takes longer than LIMIT seconds (default 2) or lists more findings
#    than the cap.
# 2. A gzip bomb: BOMB_POSTS (default 3000) posts of 1 MB each, a few MB
#    compressed, scanned beside a tenth of it. Batches are bounded by bytes, so
#    peak RSS must not grow with the number of posts: fails if the full bomb
#    peaks above 1.25x the tenth, or above a normal scan (200,000 short
#    posts) measured in the same run.
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

BOMB_POSTS=${BOMB_POSTS:-3000}
python3 - "$DATA" "$BOMB_POSTS" <<'PY'
import gzip, json, sys
out, n = sys.argv[1], int(sys.argv[2])
text = ("quarterly update from the denver team with notes on planning " * 20000)[:1_000_000]
line = json.dumps({"id": "X", "author": "a", "text": text}) + "\n"
for name, count in (("bomb", n), ("bomb-tenth", max(n // 10, 1))):
    with gzip.open(f"{out}/{name}.jsonl.gz", "wb", compresslevel=6) as f:
        for i in range(count):
            f.write(line.replace('"X"', f'"p{i}"', 1).encode())
PY
python3 benches/gen_corpus.py --posts 200000 --seed 42 --out "$DATA/normal.jsonl" >/dev/null
rss() { /usr/bin/time -f "%M" -o "$DATA/rss" "$PG" --policy "$POLICY" scan "$1" --quiet --exit-zero >/dev/null 2>&1 || true; tail -n 1 "$DATA/rss"; }
normal_kb=$(rss "$DATA/normal.jsonl")
tenth_kb=$(rss "$DATA/bomb-tenth.jsonl.gz")
bomb_kb=$(rss "$DATA/bomb.jsonl.gz")
echo "peak RSS: normal scan (200,000 posts) $normal_kb KB; bomb $((BOMB_POSTS / 10)) x 1 MB $tenth_kb KB; bomb $BOMB_POSTS x 1 MB ($(du -k "$DATA/bomb.jsonl.gz" | cut -f1) KB gzipped) $bomb_kb KB"
if [ "$bomb_kb" -gt $((tenth_kb * 5 / 4)) ]; then
  echo "FAIL: peak RSS grows with the number of 1 MB posts"; fail=1
fi
if [ "$bomb_kb" -gt "$normal_kb" ]; then
  echo "FAIL: the bomb's peak RSS is above the normal scan's"; fail=1
fi
exit $fail
