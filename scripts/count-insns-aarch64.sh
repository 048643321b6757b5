#!/usr/bin/env bash
# Instructions executed per frame of the benchmark network at 480x360 on one aarch64 thread,
# for the scalar, neon and neon_dotprod kernel tables, counted under qemu-user by a plugin
# (native/tools/qemu_insn_count.c). The model is the real one: dump_spec.ts writes the ModelSpec
# the TypeScript importer makes of the ONNX file, and attendseg_run_frame (cross-built) runs it.
# Setup (model load, packing, plans) and the tool's checksums are excluded by differencing runs
# of <frames> <network runs>:
#   frame   = count(2, 1) - count(1, 1)
#   network = count(1, 2) - count(1, 1)
# The second table splits the frame by kernel (instructions of the blocks that start in each
# function of the binary, grouped by the kernel they belong to; code outside the binary, i.e.
# the C library's memcpy and memset, is one row).
# Needs: g++-aarch64-linux-gnu, qemu-user, cmake, a host C compiler, npm ci (for tsx).
#   bash scripts/count-insns-aarch64.sh [model.onnx] [width height]
# ATTENDSEG_TABLES="neon neon_dotprod" counts only those tables (the first one is the ratio's base).
# Each conv takes its table's static path order (ATTENDSEG_CONV_PATHS=static, set here): under
# qemu, timing the candidate paths would measure the emulation's speed, not the CPU's, and make
# the count depend on the host's load.
set -euo pipefail
export ATTENDSEG_CONV_PATHS=static
cd "$(dirname "$0")/.."

MODEL="${1:-bench/models/attendseg_bench_qdq.onnx}"
W="${2:-480}"
H="${3:-360}"
BUILD="${ATTENDSEG_AARCH64_BUILD:-$PWD/build-aarch64}"
SYSROOT=/usr/aarch64-linux-gnu
TABLES="${ATTENDSEG_TABLES:-scalar neon neon_dotprod}"

cmake -S . -B "$BUILD" -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchain-aarch64-linux-gnu.cmake" \
  -DCMAKE_BUILD_TYPE=Release -DATTENDSEG_BUILD_TOOLS=ON >/dev/null
nice -n 10 cmake --build "$BUILD" -j2 --target attendseg_run_frame >/dev/null
cc -shared -fPIC -O2 -o "$BUILD/insn_count.so" native/tools/qemu_insn_count.c
npx tsx native/tools/dump_spec.ts "$MODEL" "$BUILD/model.spec" >/dev/null
# Function address ranges of the (non-PIE) tool: "start size name".
aarch64-linux-gnu-nm -C -S --defined-only "$BUILD/attendseg_run_frame" |
  awk '$3 ~ /^[tTwW]$/ { name = $4; for (i = 5; i <= NF; i++) name = name " " $i; print $1, $2, name }' \
    >"$BUILD/functions.txt"

# count <isa> <frames> <network_runs>: the plugin's report in $BUILD/count-<isa>-<frames>-<runs>.txt
count() {
  local out="$BUILD/count-$1-$2-$3.txt"
  qemu-aarch64 -L "$SYSROOT" -cpu max -d plugin -plugin "$BUILD/insn_count.so,ranges=$BUILD/functions.txt" \
    "$BUILD/attendseg_run_frame" "$BUILD/model.spec" "$1" "$2" "$3" "$W" "$H" >"$out" 2>&1 || { cat "$out" >&2; exit 1; }
}
total() { sed -n 's/^insns: //p' "$1"; }
sums() { grep -o 'label=.*' "$1"; }
# Per-kernel instruction totals of one report, "kernel count" lines.
by_kernel() {
  awk '/^fn: / {
    n = $2; name = $0; sub(/^fn: [0-9]+ /, "", name)
    k = "engine and tool code"
    if (name ~ /kernels::(scalar|neon|neon_dotprod|avx2)::/) {
      if (name ~ /[Ww]inograd/) k = "Winograd convolution"
      else if (name ~ /gemm|smull_|smlal_|signed_|row_block|::tile<|accumulate<|widen_rows|prepare_rows/) k = "convolution GEMM (1x1 and im2col)"
      else if (name ~ /im2col|copy_bytes|border_pixel/) k = "im2col"
      else if (name ~ /dw_run|run_blocks|interior<|border</) k = "depthwise convolution"
      else if (name ~ /maxpool|avgpool|max_row/) k = "max / average pooling"
      else if (name ~ /resize_|dominant_row|linear_pixels/) k = "resize"
      else if (name ~ /::add\(|::mul\(|AddOp|MulOp|IntegerBlock|binary</) k = "add, mul"
      else if (name ~ /::lut\(|copy_channels|lut_apply/) k = "table lookup, concat"
      else if (name ~ /argmax/) k = "argmax"
      else if (name ~ /preprocess|run_rows</) k = "preprocess"
      else if (name ~ /label_map|overlay|colorize/) k = "label map, overlay"
      else k = "other kernel code"
    }
    s[k] += n; attributed += n
  } /^insns: / { total = $2 }
  END { for (k in s) print s[k] "\t" k; print total - attributed "\tC library (memcpy, memset, ...)" }' "$1"
}

echo "instructions per ${W}x${H} frame, one thread, qemu-aarch64 -cpu max ($(basename "$MODEL"))"
echo
echo "| kernel table | frame | network | image stages | scalar / table |"
echo "| --- | --- | --- | --- | --- |"
scalar_frame=""
ref=""
for isa in $TABLES; do
  count "$isa" 1 1
  count "$isa" 2 1
  count "$isa" 1 2
  a=$(total "$BUILD/count-$isa-1-1.txt")
  frame=$(($(total "$BUILD/count-$isa-2-1.txt") - a))
  network=$(($(total "$BUILD/count-$isa-1-2.txt") - a))
  [ -n "$scalar_frame" ] || scalar_frame=$frame
  # Every table must produce the same label map, overlay and network output bytes.
  got=$(sums "$BUILD/count-$isa-1-1.txt")
  [ -n "$ref" ] || ref="$got"
  [ "$got" = "$ref" ] || { echo "count-insns: $isa output differs from scalar: $got vs $ref" >&2; exit 1; }
  awk -v t="$isa" -v f="$frame" -v n="$network" -v s="$scalar_frame" 'BEGIN {
    printf "| %s | %.3f G | %.3f G | %.3f G | %.2f |\n", t, f / 1e9, n / 1e9, (f - n) / 1e9, s / f }'
done
echo
echo "outputs identical across tables: $ref"
echo
echo "per frame, by kernel (millions of instructions):"
echo
printf "| kernel |"; for isa in $TABLES; do printf " %s |" "$isa"; done; echo
printf "| --- |"; for isa in $TABLES; do printf " --- |"; done; echo
for isa in $TABLES; do
  # frame = 2 frames - 1 frame, per kernel
  join -t $'\t' -1 2 -2 2 -a 1 -e 0 -o 0,1.1,2.1 \
    <(by_kernel "$BUILD/count-$isa-2-1.txt" | sort -t $'\t' -k 2) \
    <(by_kernel "$BUILD/count-$isa-1-1.txt" | sort -t $'\t' -k 2) |
    awk -F '\t' -v t="$isa" '{ print $1 "\t" t "\t" ($2 - $3) }'
done | awk -F '\t' -v tables="$TABLES" '
  { v[$1, $2] = $3; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } if ($2 == "scalar") key[$1] = $3 }
  END {
    nt = split(tables, t, " ")
    # largest scalar share first
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (key[order[j]] > key[order[i]]) { x = order[i]; order[i] = order[j]; order[j] = x }
    for (i = 1; i <= n; i++) {
      printf "| %s |", order[i]
      for (j = 1; j <= nt; j++) printf " %.1f |", v[order[i], t[j]] / 1e6
      printf "\n"
    }
  }'
