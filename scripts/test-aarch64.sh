#!/usr/bin/env bash
# Cross-builds the native library and its unit tests for aarch64 (no Node addon) and runs the
# kernel tests under qemu-user twice: as a CPU with the dot-product extension (qemu's "max", standing in
# for Orin's Cortex-A78AE), where both NEON tables must pass, and as a Cortex-A57 without it
# (like Xavier's Carmel), where neon must pass and neon_dotprod must be reported as skipped;
# then the engine tests (thread pool) once, and the benchmark network through every table on
# both CPUs, whose label map, overlay and network output must equal the scalar reference's.
# Needs: apt-get install g++-aarch64-linux-gnu qemu-user cmake catch2
set -euo pipefail
cd "$(dirname "$0")/.."

# inside the checkout, so two checkouts never share (and clash over) one CMake cache
BUILD="${ATTENDSEG_AARCH64_BUILD:-$PWD/build-aarch64}"
SYSROOT=/usr/aarch64-linux-gnu
for tool in aarch64-linux-gnu-g++ aarch64-linux-gnu-objdump qemu-aarch64 cmake; do
  command -v "$tool" >/dev/null || { echo "test-aarch64: $tool not found (apt-get install g++-aarch64-linux-gnu qemu-user cmake catch2)" >&2; exit 1; }
done
[ -f /usr/include/catch2/catch.hpp ] || { echo "test-aarch64: Catch2 v2 not found (apt-get install catch2)" >&2; exit 1; }

cmake -S . -B "$BUILD" -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchain-aarch64-linux-gnu.cmake" \
  -DCMAKE_BUILD_TYPE=Release -DATTENDSEG_BUILD_TESTS=ON -DATTENDSEG_BUILD_TOOLS=ON >/dev/null
nice -n 10 cmake --build "$BUILD" -j2 --target attendseg_kernel_tests attendseg_engine_tests attendseg_run_frame
BIN="$BUILD/attendseg_kernel_tests"

fail() { echo "test-aarch64: FAILED: $*" >&2; exit 1; }

# Dot-product instructions may appear only in neon_dotprod code: anything else runs on Carmel.
stray=$(aarch64-linux-gnu-objdump -d -C --no-show-raw-insn "$BIN" | awk '
  /^[0-9a-f]+ <.*>:$/ { fn = $0; next }
  /\t(sdot|udot)\t/ && fn !~ /neon_dotprod/ { print fn }' | sort -u)
[ -z "$stray" ] || fail "SDOT/UDOT outside the neon_dotprod kernels:
$stray"

# The Catch2 run must pass; a table's section that this CPU cannot run passes with the warning
# "skip: this CPU cannot run the <table> kernels; they were NOT tested" (native/test/kernels/isa_test.h).
run_cpu() {  # cpu, log file
  echo "== kernel tests, qemu-aarch64 -cpu $1"
  if ! timeout 1800 qemu-aarch64 -L "$SYSROOT" -cpu "$1" "$BIN" >"$2" 2>&1; then
    cat "$2"
    fail "kernel tests failed on -cpu $1"
  fi
  grep -E '^(All tests passed|test cases:)' "$2"
}
skipped() { grep -c "skip: this CPU cannot run the $2 kernels" "$1" || true; }  # log, table

LOG_MAX="$BUILD/kernels-cpu-max.log"
LOG_A57="$BUILD/kernels-cpu-cortex-a57.log"

run_cpu max "$LOG_MAX"
[ "$(grep -c 'skip: this CPU cannot run' "$LOG_MAX" || true)" = 0 ] || fail "kernel cases were skipped on -cpu max:
$(grep 'skip: this CPU cannot run' "$LOG_MAX" | sort | uniq -c)"

run_cpu cortex-a57 "$LOG_A57"
[ "$(skipped "$LOG_A57" neon)" = 0 ] || fail "neon kernel cases were skipped on cortex-a57"
# The same binary's neon_dotprod sections (which all ran on -cpu max) must each report the skip.
[ "$(skipped "$LOG_A57" neon_dotprod)" -gt 0 ] || fail "neon_dotprod cases were not reported on cortex-a57"
echo "cortex-a57 has no dot product: $(skipped "$LOG_A57" neon_dotprod) neon_dotprod cases skipped, reported as:"
grep -m 1 "skip: this CPU cannot run the neon_dotprod kernels" "$LOG_A57"
echo "== engine tests, qemu-aarch64 -cpu max"
timeout 600 qemu-aarch64 -L "$SYSROOT" -cpu max "$BUILD/attendseg_engine_tests" || fail "engine tests failed"

# The real network (the ModelSpec the TypeScript importer makes of the benchmark model) at
# 160x120: every table must produce the scalar reference's bytes.
TSX=node_modules/.bin/tsx
if [ -x "$TSX" ]; then
  "$TSX" native/tools/dump_spec.ts bench/models/attendseg_bench_qdq.onnx "$BUILD/model.spec" >/dev/null
  whole() {  # cpu, isa -> checksums
    timeout 600 qemu-aarch64 -L "$SYSROOT" -cpu "$1" "$BUILD/attendseg_run_frame" "$BUILD/model.spec" "$2" 1 1 160 120 |
      grep -o 'label=.*' || fail "attendseg_run_frame failed for $2 on -cpu $1"
  }
  ref=$(whole max scalar)
  for run in max:neon max:neon_dotprod cortex-a57:neon; do
    got=$(whole "${run%%:*}" "${run#*:}")
    [ "$got" = "$ref" ] || fail "whole network, ${run#*:} on -cpu ${run%%:*}: $got, scalar: $ref"
  done
  echo "== whole network (benchmark model, 160x120): neon and neon_dotprod equal scalar ($ref)"
else
  echo "== whole-network check SKIPPED: $TSX is missing (run npm ci first)"
fi
echo "test-aarch64: all aarch64 native tests passed"
