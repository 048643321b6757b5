#!/usr/bin/env bash
# Instructions ONNX Runtime's aarch64 build (onnxruntime-node's linux/arm64 binary, the CPU
# provider, one thread) executes per run of a model at WxH, counted under qemu-user by the same
# plugin as scripts/count-insns-aarch64.sh (native/tools/qemu_insn_count.c), as two CPUs:
#   cortex-a76  Armv8.2 with the dot product (MLAS's SDOT/UDOT kernels; as an Orin's A78AE)
#   cortex-a57  Armv8.0 without it (as a Nano's; a Xavier's Carmel has no dot product either)
# per run = count(2 runs) - count(1 run): node's start, the model load and the first run cancel.
# Runs the QDQ int8 file and, where it exists, its float twin (<model>_fp32.onnx).
#
# The guest is Debian's arm64 node (18), unpacked with its libraries into a private root
# ($BUILD/node-root) by `apt-get download`: needs root once for `dpkg --add-architecture arm64`
# and `apt-get update`; nothing is installed on the host. ORT reads /proc/cpuinfo (pytorch's
# cpuinfo), which qemu-user passes through from the host: each CPU gets a root of its own whose
# proc/cpuinfo describes that core, which qemu's -L finds first.
# Needs: qemu-user, a host C compiler, npm ci (onnxruntime-node).
#   bash scripts/count-insns-ort-aarch64.sh [model.onnx] [width height]
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL="${1:-models/attendseg_camvid.onnx}"
W="${2:-480}"
H="${3:-360}"
BUILD="${ATTENDSEG_AARCH64_BUILD:-$PWD/build-aarch64}"
ROOT="$BUILD/node-root"
PACKAGES="nodejs libnode108 libbrotli1 libc-ares2 libicu72 libnghttp2-14 libssl3 libuv1 zlib1g libc6 libstdc++6 libgcc-s1"
NODE_JS_PACKAGES="node-cjs-module-lexer node-acorn node-undici"   # files node 18 loads at start

mkdir -p "$BUILD"
if [ ! -x "$ROOT/usr/bin/node" ]; then
  dpkg --print-foreign-architectures | grep -qx arm64 || { dpkg --add-architecture arm64 && apt-get update -qq; }
  debs="$BUILD/node-debs"
  rm -rf "$debs" && mkdir -p "$debs" "$ROOT"
  (cd "$debs" && apt-get download $(for p in $PACKAGES; do echo "$p:arm64"; done) $NODE_JS_PACKAGES >/dev/null 2>&1)
  for f in "$debs"/*.deb; do dpkg -x "$f" "$ROOT"; done
fi
cc -shared -fPIC -O2 -o "$BUILD/insn_count.so" native/tools/qemu_insn_count.c

# root_for <cpu>: a root sharing the unpacked files, with that core's /proc/cpuinfo
root_for() {
  local r="$BUILD/node-root-$1"
  mkdir -p "$r/proc"
  for d in usr lib etc; do ln -sfn "$ROOT/$d" "$r/$d"; done
  case "$1" in
    cortex-a76) part=0xd0b variant=0x4 features="fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp" ;;
    cortex-a57) part=0xd07 variant=0x1 features="fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid" ;;
  esac
  printf 'processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: %s\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: %s\nCPU part\t: %s\nCPU revision\t: 1\n\n' \
    "$features" "$variant" "$part" >"$r/proc/cpuinfo"
  echo "$r"
}

# count <cpu> <model> <runs>
count() {
  local r out
  r=$(root_for "$1")
  out=$(qemu-aarch64 -L "$r" -cpu "$1" -d plugin -plugin "$BUILD/insn_count.so" \
    "$r/usr/bin/node" --single-threaded scripts/ort-frames.cjs "$2" "$3" "$W" "$H" 2>&1) || { echo "$out" >&2; exit 1; }
  sed -n 's/^insns: //p' <<<"$out"
}

models="$MODEL"
twin="${MODEL%.onnx}_fp32.onnx"
[ -f "$twin" ] && models="$models $twin"
echo "ONNX Runtime $(node -p "require('onnxruntime-node/package.json').version") (linux/arm64), one thread, ${W}x${H}, instructions per run"
echo
echo "| model | cortex-a76 (dot product) | cortex-a57 (none) |"
echo "| --- | --- | --- |"
for m in $models; do
  row="| $(basename "$m") |"
  for cpu in cortex-a76 cortex-a57; do
    one=$(count "$cpu" "$m" 1)
    two=$(count "$cpu" "$m" 2)
    row="$row $(awk -v a="$one" -v b="$two" 'BEGIN { printf "%.3f G", (b - a) / 1e9 }') |"
  done
  echo "$row"
done
