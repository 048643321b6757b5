#!/usr/bin/env bash
# The avxvnni table ships the VEX (AVX-VNNI) vpdpbusd and vpdpwssd, and where the CPU lacks
# AVX-VNNI its kernel bodies are tested through their EVEX twin (the same source compiled with
# AVX-512 VNNI + VL, native/test/kernels/x86/avxvnni_evex_twin.cpp). That holds only while each side
# has the intended encoding: the assembler encodes a bare `vpdpbusd` or `vpdpwssd` as EVEX whatever
# the compiler flags, so a lost {vex} would make the shipped table need AVX-512, and a twin on
# another instruction or register width would test something else. Checks, in the disassembly of each namespace's functions:
#   avxvnni (the library):          vpdpbusd and vpdpwssd present, every one VEX (c4/c5), no EVEX (62)
#                                   instruction at all
#   avxvnni_evex_twin (the tests):  vpdpbusd and vpdpwssd present, every one EVEX on xmm or ymm
#                                   registers (the shipped widths; never zmm)
# (Their counts may differ: the compiler inlines and unrolls by its cost model, which the AVX-512
# flags change.)
#   check-avxvnni-encoding.sh <libattendseg_kernels.a> <attendseg_kernel_tests>
set -euo pipefail
lib="$1"
tests="$2"

# "function<TAB>bytes<TAB>instruction" for every instruction of the functions in namespace $2.
insns() {
  objdump -d -C --insn-width=15 "$1" | awk -v ns="attendseg::kernels::$2::" '
    /^[0-9a-f]+ <.*>:$/ {
      name = substr($0, index($0, "<") + 1); sub(/>:$/, "", name)
      fn = ""
      if (index(name, ns) == 1) fn = substr(name, length(ns) + 1)
      else if (index(name, "void " ns) == 1) fn = substr(name, length(ns) + 6)
      next
    }
    fn != "" && /^ +[0-9a-f]+:\t/ {
      split($0, f, "\t")
      if (f[3] != "") print fn "\t" f[2] "\t" f[3]
    }'
}

fail=0
bad() { echo "FAIL $*" >&2; fail=1; }

shipped=$(insns "$lib" avxvnni)
twin=$(insns "$tests" avxvnni_evex_twin)
[ -n "$shipped" ] || bad "no avxvnni functions in $lib"
[ -n "$twin" ] || bad "no avxvnni_evex_twin functions in $tests"

# Each dot product the table ships: vpdpbusd (GEMM, peak loop) and vpdpwssd (Winograd).
summary=""
for op in vpdpbusd vpdpwssd; do
  sd=$(grep -P "\t(\{vex\} |\{evex\} )?$op " <<<"$shipped" || true)
  td=$(grep -P "\t(\{vex\} |\{evex\} )?$op " <<<"$twin" || true)
  ns=$(grep -c . <<<"$sd" || true)
  nt=$(grep -c . <<<"$td" || true)
  [ "$ns" -gt 0 ] || bad "avxvnni: no $op"
  [ "$nt" -gt 0 ] || bad "avxvnni_evex_twin: no $op"
  # First opcode byte: VEX is c4 or c5, EVEX 62 (in 64-bit mode 62 is nothing else).
  n=$(awk -F'\t' '{ split($2, b, " "); if (b[1] != "c4" && b[1] != "c5") print }' <<<"$sd" | grep -c . || true)
  [ "$n" -eq 0 ] || bad "avxvnni: $n $op not VEX-encoded"
  n=$(awk -F'\t' '{ split($2, b, " "); if (b[1] != "62" || $3 !~ /%[xy]mm[0-9]+,%[xy]mm[0-9]+,%[xy]mm[0-9]+$/) print }' <<<"$td" | grep -c . || true)
  [ "$n" -eq 0 ] || bad "avxvnni_evex_twin: $n $op not EVEX on xmm/ymm registers"
  summary="$summary $op: $ns VEX shipped, $nt EVEX (xmm/ymm) in the twin;"
done
n=$(awk -F'\t' '{ split($2, b, " "); if (b[1] == "62") print }' <<<"$shipped" | grep -c . || true)
[ "$n" -eq 0 ] || bad "avxvnni: $n EVEX (AVX-512) instructions, e.g. $(awk -F'\t' '{ split($2, b, " "); if (b[1] == "62") { print $3; exit } }' <<<"$shipped")"

[ "$fail" -eq 0 ] && echo "ok  ${summary} no EVEX instruction in avxvnni"
exit $fail
