#!/usr/bin/env bash
# The benchmark's ceiling is only true if each peak loop executes as many multiply-accumulate
# instructions per round as it counts: a compiler that proves two chains equal runs one (the
# AVX-512 loop once reported ten times its work that way). Checks the compiled x86 peak loops
# for at least their count of the instruction they time per round.
#   check-peak-loops.sh <libattendseg_kernels.a>
set -euo pipefail
lib="$1"
fail=0
check() {  # namespace, instruction, count per round
  local n
  n=$(objdump -d --no-show-raw-insn -C "$lib" | awk -v fn="<attendseg::kernels::$1::peak_loop(long)>:" '
    index($0, fn) { p = 1; next }
    p && /^[0-9a-f]+ </ { exit }
    p' | grep -c "[[:space:]]$2[[:space:]]" || true)
  if [ "$n" -lt "$3" ]; then
    echo "FAIL $1::peak_loop: $n $2 instructions, fewer than its $3 per round" >&2
    fail=1
  else
    echo "ok   $1::peak_loop: $n $2 (>= $3 per round)"
  fi
}
check avx2 vpmaddubsw 10
check avxvnni vpdpbusd 12
check avx512vnni vpdpbusd 16
exit $fail
