#!/usr/bin/env bash
# How postguard scales with the size of a policy's lexicon: the Brightwater
# policy plus a pack with one rule of N generated phrases (two or three words
# from a fixed vocabulary, seeded). Usage: benches/lexicon.sh [POSTS] (default
# 200000). For each N it prints, in one run:
#   - `check` of one 239-character draft, wall (hyperfine, start-up and
#     compile included) and peak RSS: what a sales rep waits for;
#   - `scan` of POSTS generated posts, 2 threads, no report files, wall and
#     peak RSS, with ripgrep's phrase scan of the same file as the anchor.
set -euo pipefail
cd "$(dirname "$0")/.."

POSTS=${1:-200000}
SIZES=${SIZES:-"0 1000 10000 50000"}
DATA=benches/data
mkdir -p "$DATA"
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release --locked --quiet
PG=${POSTGUARD:-$PWD/target/release/postguard}
RG=$(command -v rg || echo "$HOME/.cargo/bin/rg")
F="$DATA/posts-$POSTS.jsonl"
[ -s "$F" ] || python3 benches/gen_corpus.py --posts "$POSTS" --seed 42 --out "$F"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DRAFT="$WORK/draft.txt"
printf '%s' "Thrilled to share our new Brightwater Growth Fund: guaranteed returns of 12% a year and no risk at all. DM me for details, or call 555-0134. #investing #Brightwater #growth and more about the retirement plan today." > "$DRAFT"
"$PG" --policy policies/brightwater.toml lint --list-phrases > "$WORK/phrases.txt"

# postguard exits 1 when it finds something: that is a result, not a failure.
rss() { { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null || true; } | tail -1; }
wall() { # median of 3 runs, seconds
  for _ in 1 2 3; do { /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null || true; } | tail -1; done | sort -n | sed -n 2p
}

anchor=$(wall "$RG" -c -i -w --no-unicode -f "$WORK/phrases.txt" "$F")
echo "== $POSTS posts, $(nproc) cores; ripgrep phrase scan (anchor): ${anchor} s"
printf '%8s %14s %12s %12s %10s %12s\n' phrases "check (ms)" "check RSS" "scan (s)" "scan/rg" "scan RSS"
for n in $SIZES; do
  python3 - "$n" "$WORK" <<'PY'
import random, sys
n, work = int(sys.argv[1]), sys.argv[2]
rng = random.Random(7)
vocab = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 9))) for _ in range(3000)]
phrases = set()
while len(phrases) < n:
    phrases.add(" ".join(rng.choice(vocab) for _ in range(rng.choice((2, 2, 3)))))
with open(f"{work}/lexicon.toml", "w") as f:
    f.write('[pack]\nid = "lexicon"\nname = "Imported lexicon"\n\n')
    if n:
        f.write('[[rule]]\nid = "lexicon.term"\ncategory = "confidential"\nseverity = "warning"\n')
        f.write('message = "A term of the imported lexicon"\nwhy = "Generated for the benchmark."\n')
        f.write('match = { kind = "phrases", phrases = [\n')
        for p in sorted(phrases):
            f.write(f'  "{p}",\n')
        f.write("] }\n")
src = open("policies/brightwater.toml").read()
src = src.replace('include = ["ftc", "finra", "health", "privacy", "confidential", "verbatim"]',
                  f'include = ["ftc", "finra", "health", "privacy", "confidential", "verbatim", "{work}/lexicon.toml"]')
open(f"{work}/policy.toml", "w").write(src.replace('path = "', 'path = "' + __import__("os").getcwd() + "/policies/"))
PY
  P="$WORK/policy.toml"
  check_ms=$(hyperfine -N -i -w 3 -r 20 --export-json "$WORK/h.json" "$PG --policy $P check $DRAFT" >/dev/null 2>&1 &&
    python3 -c "import json; print(round(json.load(open('$WORK/h.json'))['results'][0]['mean'] * 1000, 1))")
  check_rss=$(rss "$PG" --policy "$P" check "$DRAFT")
  scan_s=$(wall "$PG" --policy "$P" scan "$F" --threads 2 --quiet)
  scan_rss=$(rss "$PG" --policy "$P" scan "$F" --threads 2 --quiet)
  printf '%8s %14s %9.1f MB %12s %9.2fx %9.1f MB\n' "$n" "$check_ms" "$(echo "$check_rss / 1024" | bc -l)" "$scan_s" \
    "$(echo "$scan_s / $anchor" | bc -l)" "$(echo "$scan_rss / 1024" | bc -l)"
done
