#!/usr/bin/env bash
# Bounded libFuzzer runs of the native code that reads bytes from outside (native/fuzz): spec
# files and camera frames (inbound CDR messages are decoded in TypeScript and fuzzed by test/msg/fuzz.test.ts). Built with clang, ASan and UBSan; any crash,
# sanitizer report, leak, timeout or allocation past the limits fails the run, and the input that
# caused it is left in $BUILD/artifacts/. Each target starts from its committed seed corpus.
# CI runs a fixed number of inputs from a fixed seed, so a run that passed passes again on the
# same code (a time budget would make CI's verdict depend on the machine's speed); by hand, give
# a time budget to search longer with a random seed:
#   scripts/fuzz-native.sh              # 50000 inputs per target, seed 1 (CI; about a minute)
#   scripts/fuzz-native.sh 600          # 10 minutes per target, random seed
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-}
if [ -n "$SECONDS_EACH" ]; then BUDGET=(-max_total_time="$SECONDS_EACH"); else BUDGET=(-runs=50000 -seed=1); fi
BUILD=${FUZZ_BUILD:-build-fuzz}
TARGETS=(fuzz_spec_file fuzz_frame)

command -v clang++ >/dev/null || { echo "fuzz-native: clang++ not found (Debian package clang)" >&2; exit 1; }
CC=clang CXX=clang++ cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DATTENDSEG_BUILD_FUZZERS=ON \
  -DATTENDSEG_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target "${TARGETS[@]}" >/dev/null

mkdir -p "$BUILD/artifacts"
status=0
for t in "${TARGETS[@]}"; do
  # New inputs go to a scratch corpus; the committed seeds are only read.
  work=$(mktemp -d)
  log="$BUILD/$t.log"
  if "$BUILD/$t" "${BUDGET[@]}" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
      -artifact_prefix="$BUILD/artifacts/$t-" -print_final_stats=1 "$work" "native/fuzz/corpus/$t" >"$log" 2>&1; then
    echo "$t: $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') inputs, no finding"
  else
    echo "$t: FAILED (input saved under $BUILD/artifacts/)" >&2
    grep -v '^#\|^INFO\|^\s*$' "$log" | head -60 >&2
    status=1
  fi
  rm -rf "$work"
done
exit $status
