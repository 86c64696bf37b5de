#!/usr/bin/env bash
# Scale in authors. Usage: benches/authors.sh [AUTHORS...] (default 100000 300000)
#
# For each N: N posts by N authors (one post each), scanned with employee
# files (sharded into employees/ab/ past 10,000 authors) and with
# --no-employee-files, beside the anchor of the same N posts by 100 authors
# in the same run. Prints wall time, peak RSS and the RSS per employee
# ((peak - anchor peak) / N); fails if a folder of the report holds more
# than 10,000 entries.
set -euo pipefail
cd "$(dirname "$0")/.."

POLICY=policies/brightwater.toml
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(100000 300000)

cargo build --release --locked --quiet
PG=${POSTGUARD:-target/release/postguard}

# run NAME INPUT [FLAGS...]: prints and keeps seconds and peak KB
run() {
  local name=$1 input=$2; shift 2
  rm -rf "$DATA/out"
  /usr/bin/time -f "%e %M" -o "$DATA/time" "$PG" --policy "$POLICY" scan "$input" \
    --out "$DATA/out" --quiet --exit-zero "$@" >/dev/null 2>"$DATA/err" || { cat "$DATA/err"; exit 1; }
  read -r secs kb < "$DATA/time"
  eval "${name}_kb=$kb"
  local widest
  widest=$(find "$DATA/out" -type d -exec sh -c 'ls -A "$1" | wc -l' _ {} \; | sort -n | tail -1)
  printf '%-28s %7.2f s %9d KB  widest folder %6d entries\n' "$name" "$secs" "$kb" "$widest"
  if [ "$widest" -gt 10000 ]; then echo "FAIL: a folder of $widest entries"; exit 1; fi
}

for n in "${SIZES[@]}"; do
  python3 benches/gen_corpus.py --posts "$n" --seed 7 --out "$DATA/base.jsonl" >/dev/null
  python3 - "$DATA" <<'PY'
import json, sys
d = sys.argv[1]
with open(f"{d}/base.jsonl") as src, open(f"{d}/many.jsonl", "w") as many, open(f"{d}/few.jsonl", "w") as few:
    for i, line in enumerate(src):
        post = json.loads(line)
        post["author"] = f"user{i:07d}"
        many.write(json.dumps(post) + "\n")
        post["author"] = f"user{i % 100:07d}"
        few.write(json.dumps(post) + "\n")
PY
  echo "== $n posts ($(nproc) cores)"
  run anchor_100_authors "$DATA/few.jsonl"
  run authors_files "$DATA/many.jsonl"
  run authors_no_files "$DATA/many.jsonl" --no-employee-files
  python3 - "$n" "$anchor_100_authors_kb" "$authors_files_kb" "$authors_no_files_kb" <<'PY'
import sys
n, anchor, files, nofiles = map(int, sys.argv[1:])
for name, kb in (("with employee files", files), ("--no-employee-files", nofiles)):
    print(f"{n} authors, {name}: {(kb - anchor) * 1024 / n:,.0f} bytes of peak RSS per employee over the anchor")
PY
done
