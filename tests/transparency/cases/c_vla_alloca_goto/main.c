/* C functions with dynamic stack frames and unusual control flow: VLAs
 * (including 2-D VLA parameters), alloca in loops, flexible array members,
 * computed goto (labels as values), a dense switch (jump table), goto-based
 * cleanup, and deep nesting of blocks with shadowed variables. */
#include <alloca.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long vla_matrix(int n, int m) {
  int a[n][m];
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < m; ++j) a[i][j] = (i + 1) * (j + 2) - (i ^ j);
  long tr = 0;
  for (int i = 0; i < n && i < m; ++i) tr += a[i][i] * (long)a[n - 1 - i][m - 1 - i];
  return tr;
}

static double row_sums(int rows, int cols, double mat[rows][cols], double out[rows]) {
  double total = 0;
  for (int r = 0; r < rows; ++r) {
    out[r] = 0;
    for (int c = 0; c < cols; ++c) out[r] += mat[r][c];
    total += out[r];
  }
  return total;
}

static unsigned alloca_chain(int depth, unsigned seed) {
  if (depth == 0) return seed;
  size_t n = 16 + (seed % 64);
  unsigned char *buf = alloca(n);
  for (size_t i = 0; i < n; ++i) buf[i] = (unsigned char)(seed >> (i % 24));
  unsigned h = seed;
  for (size_t i = 0; i < n; ++i) h = h * 16777619u ^ buf[i];
  return alloca_chain(depth - 1, h) ^ (unsigned)n;
}

typedef struct {
  size_t len;
  int data[];
} IntArray;

static IntArray *make_array(size_t n) {
  IntArray *a = malloc(sizeof *a + n * sizeof a->data[0]);
  a->len = n;
  for (size_t i = 0; i < n; ++i) a->data[i] = (int)(i * i % 17);
  return a;
}

/* A tiny bytecode interpreter using computed goto. */
enum { OP_PUSH, OP_ADD, OP_MUL, OP_DUP, OP_SWAP, OP_JNZ_DEC, OP_PRINT, OP_HALT };
static long interpret(const int *code) {
  static void *dispatch[] = {&&op_push, &&op_add, &&op_mul, &&op_dup, &&op_swap, &&op_jnz_dec, &&op_print, &&op_halt};
  long stack[64];
  int sp = 0, pc = 0;
  long counter = 5;
#define NEXT goto *dispatch[code[pc++]]
  NEXT;
op_push:
  stack[sp++] = code[pc++];
  NEXT;
op_add:
  sp--;
  stack[sp - 1] += stack[sp];
  NEXT;
op_mul:
  sp--;
  stack[sp - 1] *= stack[sp];
  NEXT;
op_dup:
  stack[sp] = stack[sp - 1];
  sp++;
  NEXT;
op_swap: {
  long t = stack[sp - 1];
  stack[sp - 1] = stack[sp - 2];
  stack[sp - 2] = t;
}
  NEXT;
op_jnz_dec:
  if (--counter > 0) {
    pc = code[pc];
  } else {
    pc++;
  }
  NEXT;
op_print:
  printf("  vm top=%ld sp=%d\n", stack[sp - 1], sp);
  NEXT;
op_halt:
#undef NEXT
  return stack[sp - 1];
}

static const char *day_kind(int d) {
  switch (d) {
    case 0: return "sun";
    case 1: return "mon";
    case 2: return "tue";
    case 3: return "wed";
    case 4: return "thu";
    case 5: return "fri";
    case 6: return "sat";
    case 7: return "sun2";
    case 8: return "x8";
    case 9: return "x9";
    case 10: return "x10";
    default: return "?";
  }
}

static int with_cleanup(int fail_at) {
  int result = -1;
  char *a = NULL, *b = NULL, *c = NULL;
  a = malloc(16);
  if (fail_at == 1) goto out;
  b = malloc(32);
  if (fail_at == 2) goto out_a;
  c = malloc(64);
  if (fail_at == 3) goto out_b;
  strcpy(a, "ok");
  result = (int)strlen(a) + 40;
  free(c);
out_b:
  free(b);
out_a:
  free(a);
  return result;
out:
  free(a);
  return -100 - fail_at;
}

int main(void) {
  printf("vla_matrix %ld %ld %ld\n", vla_matrix(3, 4), vla_matrix(17, 9), vla_matrix(1, 1));
  int rows = 4, cols = 5;
  double mat[rows][cols], sums[rows];
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) mat[r][c] = r * 0.5 + c * 0.25;
  double total = row_sums(rows, cols, mat, sums);
  printf("row_sums %.2f %.2f %.2f\n", total, sums[0], sums[3]);
  printf("alloca_chain %u %u\n", alloca_chain(50, 1), alloca_chain(200, 77));
  IntArray *arr = make_array(40);
  long s = 0;
  for (size_t i = 0; i < arr->len; ++i) s += arr->data[i] * (long)i;
  printf("flex len=%zu weighted=%ld\n", arr->len, s);
  free(arr);
  const int prog[] = {OP_PUSH, 1, OP_PUSH, 3, OP_MUL, OP_DUP, OP_PRINT, OP_PUSH, 2, OP_ADD, OP_JNZ_DEC, 2, OP_HALT};
  printf("vm result %ld\n", interpret(prog));
  for (int d = 0; d < 12; d += 3) printf("day %d=%s ", d, day_kind(d));
  printf("\ncleanup %d %d %d %d\n", with_cleanup(0), with_cleanup(1), with_cleanup(2), with_cleanup(3));
  int x = 1;
  {
    int x = 2;
    {
      int x = 3;
      printf("shadow inner %d\n", x);
    }
    printf("shadow middle %d\n", x);
  }
  printf("shadow outer %d\n", x);
  return 0;
}
