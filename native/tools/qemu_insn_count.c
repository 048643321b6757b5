/* A qemu-user plugin that counts the guest instructions executed and prints the total at exit
 * ("insns: N", with -d plugin). Used by scripts/count-insns-aarch64.sh; build for the host with
 *   cc -shared -fPIC -O2 -o insn_count.so native/tools/qemu_insn_count.c
 * and run  qemu-aarch64 -d plugin -plugin ./insn_count.so[,ranges=FILE] ...
 * With ranges=FILE (lines "start size name", hexadecimal addresses of a non-PIE binary, as nm -S
 * prints them) it also prints "fn: N name" for every function whose code ran: a block counts
 * for the function its first instruction belongs to (blocks end at branches, so they do not
 * straddle functions in practice).
 * It declares the few entry points of QEMU's plugin API it uses (API version 1, as in Debian
 * 12's qemu 7.2), so no QEMU development headers are needed. Counting is per translated block,
 * inline (no callback per instruction); exact for a single-threaded guest. */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_info_t;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op, void *ptr,
                                              uint64_t imm);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
void qemu_plugin_outs(const char *string);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

static uint64_t insns;

struct range {
  uint64_t start, end, count;
  char *name;
};
static struct range *ranges;
static size_t n_ranges;

static int by_start(const void *a, const void *b) {
  const struct range *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start;
}

static int load_ranges(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  size_t cap = 0;
  char line[4096];
  while (fgets(line, sizeof(line), f)) {
    unsigned long long start, size;
    int used = 0;
    if (sscanf(line, "%llx %llx %n", &start, &size, &used) != 2 || used == 0) continue;
    line[strcspn(line, "\n")] = 0;
    if (n_ranges == cap) {
      cap = cap ? 2 * cap : 1024;
      ranges = realloc(ranges, cap * sizeof(*ranges));
      if (!ranges) return -1;
    }
    ranges[n_ranges].start = start;
    ranges[n_ranges].end = start + size;
    ranges[n_ranges].count = 0;
    ranges[n_ranges].name = strdup(line + used);
    n_ranges++;
  }
  fclose(f);
  qsort(ranges, n_ranges, sizeof(*ranges), by_start);
  return 0;
}

static struct range *find_range(uint64_t pc) {
  size_t lo = 0, hi = n_ranges;
  while (lo < hi) {  // last range starting at or before pc
    const size_t mid = (lo + hi) / 2;
    if (ranges[mid].start <= pc) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && pc < ranges[lo - 1].end ? &ranges[lo - 1] : NULL;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  const uint64_t n = qemu_plugin_tb_n_insns(tb);
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &insns, n);
  struct range *r = n_ranges ? find_range(qemu_plugin_tb_vaddr(tb)) : NULL;
  if (r) qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &r->count, n);
}

static void on_exit_report(qemu_plugin_id_t id, void *userdata) {
  (void)id;
  (void)userdata;
  char line[4200];
  snprintf(line, sizeof(line), "insns: %" PRIu64 "\n", insns);
  qemu_plugin_outs(line);
  for (size_t i = 0; i < n_ranges; ++i)
    if (ranges[i].count) {
      snprintf(line, sizeof(line), "fn: %" PRIu64 " %s\n", ranges[i].count, ranges[i].name);
      qemu_plugin_outs(line);
    }
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_info_t *info,
                                                               int argc, char **argv) {
  (void)info;
  for (int i = 0; i < argc; ++i)
    if (strncmp(argv[i], "ranges=", 7) == 0 && load_ranges(argv[i] + 7) != 0) {
      fprintf(stderr, "qemu_insn_count: cannot read %s\n", argv[i] + 7);
      return -1;
    }
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, on_exit_report, NULL);
  return 0;
}
