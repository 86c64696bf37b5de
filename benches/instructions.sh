#!/usr/bin/env bash
# Instruction counts, stable on a noisy machine (callgrind counts every
# instruction, whatever else runs): steady-state instructions per post of a
# one-thread scan, and of a one-draft `check`. Usage: benches/instructions.sh
# [POSTGUARD ...] to compare binaries in one run (default: this tree's
# release build). Needs valgrind.
#
# Per post = (instructions for 20,000 posts - for 5,000) / 15,000, so start-up
# and compile cancel out.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 2; }
cargo build --release --locked --quiet
[ $# -gt 0 ] || set -- target/release/postguard
DATA=benches/data
mkdir -p "$DATA"
[ -s "$DATA/posts-20000.jsonl" ] || python3 benches/gen_corpus.py --posts 20000 --seed 42 --out "$DATA/posts-20000.jsonl"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
head -5000 "$DATA/posts-20000.jsonl" > "$WORK/posts-5000.jsonl"
DRAFT="$WORK/draft.txt"
printf '%s' "Thrilled to share our new Brightwater Growth Fund: guaranteed returns of 12% a year and no risk at all. DM me for details, or call 555-0134. #investing #Brightwater #growth and more about the retirement plan today." > "$DRAFT"

count() { # instructions of one run (postguard exits 1 on findings: a result)
  { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null || true; } \
    | awk '/Collected/ { gsub(",", "", $NF); print $NF }'
}
printf '%-40s %16s %18s %18s\n' binary "scan / post" "check (default)" "check (Brightwater)"
for pg in "$@"; do
  small=$(count "$pg" --policy policies/brightwater.toml scan "$WORK/posts-5000.jsonl" --threads 1 --quiet)
  large=$(count "$pg" --policy policies/brightwater.toml scan "$DATA/posts-20000.jsonl" --threads 1 --quiet)
  default=$(count "$pg" check "$DRAFT")
  brightwater=$(count "$pg" --policy policies/brightwater.toml check "$DRAFT")
  awk -v n="$pg" -v s="$small" -v l="$large" -v d="$default" -v b="$brightwater" \
    'BEGIN { printf "%-40s %16.0f %17.1fM %17.1fM\n", n, (l - s) / 15000, d / 1e6, b / 1e6 }'
done
