#!/usr/bin/env bash
# End-to-end benchmark of `postguard scan` against ripgrep's phrase scan on the
# same file, in the same run. Usage: benches/scan.sh [POSTS]   (default 1000000)
#
# Prints posts/s, MB/s, peak RSS (median of $RUNS runs, default 3) and the
# ratio to ripgrep for: 2 threads, 1 thread, without report files, without
# corporate content, and 4x the posts (RSS must not grow).
set -euo pipefail
cd "$(dirname "$0")/.."

POSTS=${1:-1000000}
BIG=$((POSTS * 4))
DATA=benches/data
POLICY=policies/brightwater.toml
mkdir -p "$DATA"

echo "== build"
cargo build --release --locked --quiet
PG=${POSTGUARD:-target/release/postguard}

if ! command -v rg >/dev/null 2>&1; then
  echo "== installing ripgrep (cargo install ripgrep)"
  cargo install ripgrep --locked --quiet
fi
RG=$(command -v rg || echo "$HOME/.cargo/bin/rg")

for n in "$POSTS" "$BIG"; do
  if [ ! -s "$DATA/posts-$n.jsonl" ]; then
    echo "== generating $n posts"
    python3 benches/gen_corpus.py --posts "$n" --seed 42 --out "$DATA/posts-$n.jsonl"
  fi
done
"$PG" --policy "$POLICY" lint --list-phrases > "$DATA/phrases.txt"
echo "phrases: $(wc -l < "$DATA/phrases.txt") literal phrases of $POLICY"

mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", b / 1e6 }'; }

# measure NAME FILE POSTS CMD...: median wall seconds of $RUNS runs and the
# largest peak RSS (KB) of CMD. Creating thousands of report files makes
# single runs noisy on some disks; the median steadies the figure.
RUNS=${RUNS:-3}
declare -A WALL RSS
measure() {
  local name=$1 file=$2 posts=$3; shift 3
  local timing="$OUT/time.txt" walls=() rss=0 w m
  for _ in $(seq "$RUNS"); do
    # postguard exits 1 when it finds something: that is a result, not a failure.
    /usr/bin/time -f "%e %M" -o "$timing" "$@" > /dev/null 2>&1 || true
    read -r w m < <(tail -1 "$timing")
    walls+=("$w")
    [ "$m" -gt "$rss" ] && rss=$m
  done
  WALL[$name]=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  RSS[$name]=$rss
  awk -v n="$name" -v w="${WALL[$name]}" -v r="${RSS[$name]}" -v p="$posts" -v m="$(mb "$file")" \
    'BEGIN { printf "%-28s %8.2f s %12.0f posts/s %8.1f MB/s %8.1f MB peak RSS\n", n, w, p / w, m / w, r / 1024 }'
}

F1="$DATA/posts-$POSTS.jsonl"
F4="$DATA/posts-$BIG.jsonl"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "== $POSTS posts ($(mb "$F1") MB), $(nproc) cores"
measure "ripgrep phrases (anchor)" "$F1" "$POSTS" "$RG" -c -i -w --no-unicode -f "$DATA/phrases.txt" "$F1"
# ripgrep slows as the phrase list grows; 300 phrases is the lighter anchor
# that earlier figures used.
head -300 "$DATA/phrases.txt" > "$DATA/phrases-300.txt"
measure "ripgrep 300 phrases" "$F1" "$POSTS" "$RG" -c -i -w --no-unicode -f "$DATA/phrases-300.txt" "$F1"
measure "scan, 2 threads" "$F1" "$POSTS" "$PG" --policy "$POLICY" scan "$F1" --threads 2 --quiet --out "$OUT/a"
measure "scan, 1 thread" "$F1" "$POSTS" "$PG" --policy "$POLICY" scan "$F1" --threads 1 --quiet --out "$OUT/b"
# The same policy without its [[corporate]] sources: the cost of the verbatim check.
awk '/^\[\[corporate\]\]/ { skip = 1; next } /^\[/ { skip = 0 } !skip' "$POLICY" > policies/.bench-no-corporate.toml
trap 'rm -rf "$OUT" policies/.bench-no-corporate.toml' EXIT
# Without report files, so the disk does not blur the comparison.
measure "scan, 2 threads, no --out" "$F1" "$POSTS" "$PG" --policy "$POLICY" scan "$F1" --threads 2 --quiet
measure "1 thread, no --out" "$F1" "$POSTS" "$PG" --policy "$POLICY" scan "$F1" --threads 1 --quiet
measure "same, no corporate posts" "$F1" "$POSTS" "$PG" --policy policies/.bench-no-corporate.toml scan "$F1" --threads 2 --quiet
measure "scan, 2 threads, $BIG" "$F4" "$BIG" "$PG" --policy "$POLICY" scan "$F4" --threads 2 --quiet --out "$OUT/d"

awk -v rg="${WALL[ripgrep phrases (anchor)]}" -v rg300="${WALL[ripgrep 300 phrases]}" -v two="${WALL[scan, 2 threads]}" -v one="${WALL[scan, 1 thread]}" \
    -v noout="${WALL[scan, 2 threads, no --out]}" -v noout1="${WALL[1 thread, no --out]}" -v nocorp="${WALL[same, no corporate posts]}" -v r1="${RSS[scan, 2 threads]}" -v r4="${RSS[scan, 2 threads, $BIG]}" 'BEGIN {
  printf "\nscan / ripgrep wall time:            %.2fx (%.2fx of ripgrep with 300 phrases)\n", two / rg, two / rg300
  printf "scan speed / ripgrep speed:          %.2fx (%.2fx; without report files %.2fx and %.2fx)\n", rg / two, rg300 / two, rg / noout, rg300 / noout
  printf "1 -> 2 threads speed-up:             %.2fx (%.2fx without report files)\n", one / two, noout1 / noout
  printf "report files cost:                   %.2fx of the scan without --out\n", two / noout
  printf "corporate content (verbatim) cost:   %.2fx of the scan without it (no --out)\n", noout / nocorp
  printf "peak RSS at 4x the posts:            %.2fx of 1x\n", r4 / r1
}'
