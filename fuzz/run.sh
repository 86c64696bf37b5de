#!/usr/bin/env bash
# Runs the fuzz targets with libFuzzer (cargo fuzz, nightly toolchain).
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# SECONDS per target (default 60); targets default to all four, run one
# after another. For long runs start them in parallel instead, niced:
#
#   for t in normalise readers policy check; do
#     nice -n 19 fuzz/run.sh 1320 $t > /tmp/fuzz-$t.log 2>&1 &
#   done
#
# Targets:
#   normalise  one text checked with the default policy: every finding span on
#              char boundaries, `matched == text[start..end]`, views map inside
#   readers    JSONL, CSV, LinkedIn Shares.csv, tweets.js, Facebook and
#              Instagram JSON, each plain or gzipped (first byte picks the reader)
#   policy     TOML text -> load, compile, run the examples, check a post
#   check      one draft end to end: default policy, corporate library, cap, JSON
#
# Seeds are in fuzz/corpus/<target>/ (committed); what libFuzzer adds goes to
# fuzz/target/corpus/<target>/ (not committed). A crash is written to
# fuzz/artifacts/<target>/; minimise it with
#   cargo +nightly fuzz tmin -s none <target> <file>
# then fix the library and inline the input in a test under tests/.
#
# No sanitizer (-s none): the library is safe Rust, so AddressSanitizer finds
# nothing a panic does not, at twice the cost per execution. Debug assertions
# stay on, so arithmetic overflow panics.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(normalise readers policy check)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
for t in "${targets[@]}"; do
    mkdir -p "target/corpus/$t"
    echo "== $t: ${secs}s"
    # -rss_limit_mb: a policy or input that needs more is a finding too.
    # -timeout=60: a loaded, shared machine slows a unit tenfold; a hang still shows.
    cargo +nightly fuzz run -s none "$t" "target/corpus/$t" "corpus/$t" -- \
        -max_total_time="$secs" -rss_limit_mb=2048 \
        -max_len=65536 -timeout=60 -print_final_stats=1
done
