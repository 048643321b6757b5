#!/usr/bin/env bash
# Instructions executed per frame of the benchmark network at 480x360 on one aarch64 thread,
# for the scalar, neon and neon_dotprod kernel tables, counted under qemu-user by a plugin
# (native/tools/qemu_insn_count.c). The model is the real one: dump_spec.ts writes the ModelSpec
# the TypeScript importer makes of the ONNX file, and attendseg_run_frame (cross-built) runs it.
# Setup (model load, packing, plans) is excluded by differencing runs:
#   frame   = count(2 frames) - count(1 frame)
#   network = count(1 frame + 1 network run) - count(1 frame)
# Needs: g++-aarch64-linux-gnu, qemu-user, cmake, a host C compiler, npm ci (for tsx).
#   bash scripts/count-insns-aarch64.sh [model.onnx] [width height]
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL="${1:-bench/models/attendseg_bench_qdq.onnx}"
W="${2:-480}"
H="${3:-360}"
BUILD="${ATTENDSEG_AARCH64_BUILD:-/tmp/attendseg-build-aarch64}"
SYSROOT=/usr/aarch64-linux-gnu

cmake -S . -B "$BUILD" -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchain-aarch64-linux-gnu.cmake" \
  -DCMAKE_BUILD_TYPE=Release -DATTENDSEG_BUILD_TOOLS=ON >/dev/null
nice -n 10 cmake --build "$BUILD" -j2 --target attendseg_run_frame >/dev/null
cc -shared -fPIC -O2 -o "$BUILD/insn_count.so" native/tools/qemu_insn_count.c
npx tsx native/tools/dump_spec.ts "$MODEL" "$BUILD/model.spec" >/dev/null

# count <isa> <frames> <network_runs>: prints "<instructions> <checksums>"
count() {
  local out
  out=$(qemu-aarch64 -L "$SYSROOT" -cpu max -d plugin -plugin "$BUILD/insn_count.so" \
    "$BUILD/attendseg_run_frame" "$BUILD/model.spec" "$1" "$2" "$3" "$W" "$H" 2>&1) || { echo "$out" >&2; exit 1; }
  echo "$(sed -n 's/^insns: //p' <<<"$out") $(grep -o 'label=.*' <<<"$out")"
}

echo "instructions per ${W}x${H} frame, one thread, qemu-aarch64 -cpu max ($(basename "$MODEL"))"
echo
echo "| kernel table | frame | network | image stages | frame vs scalar |"
echo "| --- | --- | --- | --- | --- |"
scalar_frame=""
ref=""
for isa in scalar neon neon_dotprod; do
  read -r a sums_a < <(count "$isa" 1 0)
  read -r b _ < <(count "$isa" 2 0)
  read -r c sums_c < <(count "$isa" 1 1)
  frame=$((b - a))
  network=$((c - a))
  [ -n "$scalar_frame" ] || scalar_frame=$frame
  # Every table must produce the same label map, overlay and network output bytes.
  [ -n "$ref" ] || ref="$sums_c"
  [ "$sums_c" = "$ref" ] || { echo "count-insns: $isa output differs from scalar: $sums_c vs $ref" >&2; exit 1; }
  awk -v t="$isa" -v f="$frame" -v n="$network" -v s="$scalar_frame" 'BEGIN {
    printf "| %s | %.3f G | %.3f G | %.3f G | %.2fx fewer |\n", t, f / 1e9, n / 1e9, (f - n) / 1e9, s / f }'
done
echo
echo "outputs identical across tables: $ref"
