/* setjmp/longjmp through several (instrumented) frames: error recovery from
 * deep inside a recursive parser, volatile locals preserved across the jump,
 * nested jump buffers, longjmp with value 0 (becomes 1), and sigsetjmp /
 * siglongjmp from a signal handler raised synchronously. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static jmp_buf g_err;
static char g_msg[64];
static int g_depth_max;

static void fail(const char *msg, int code) {
  snprintf(g_msg, sizeof g_msg, "%s", msg);
  longjmp(g_err, code);
}

static int parse_list(const char **p, int depth);
static int parse_item(const char **p, int depth) {
  if (depth > g_depth_max) g_depth_max = depth;
  if (depth > 20) fail("too deep", 3);
  if (**p == '[') return parse_list(p, depth + 1);
  if (**p >= '0' && **p <= '9') {
    int v = 0;
    while (**p >= '0' && **p <= '9') v = v * 10 + (*(*p)++ - '0');
    return v;
  }
  fail("unexpected character", 2);
  return 0;
}
static int parse_list(const char **p, int depth) {
  int sum = 0;
  ++*p; /* '[' */
  while (**p != ']') {
    if (!**p) fail("unterminated list", 4);
    sum += parse_item(p, depth);
    if (**p == ',') ++*p;
  }
  ++*p;
  return sum * (depth + 1);
}

static int try_parse(const char *text, int *out) {
  volatile int attempts = 0;
  int code = setjmp(g_err);
  if (code != 0) {
    attempts++;
    return code;
  }
  attempts++;
  const char *p = text;
  g_depth_max = 0;
  *out = parse_item(&p, 0);
  return 0;
}

static jmp_buf outer, inner;
static int trace[16], ntrace;

static void level3(int v) {
  trace[ntrace++] = 3;
  if (v == 1) longjmp(inner, 11);
  if (v == 2) longjmp(outer, 22);
  if (v == 3) longjmp(inner, 0); /* setjmp returns 1 */
}
static void level2(int v) { trace[ntrace++] = 2; level3(v); trace[ntrace++] = -2; }
static int level1(int v) {
  volatile int local = 100 + v;
  int r = setjmp(inner);
  if (r) {
    trace[ntrace++] = 10 + r;
    return local + r;
  }
  local += 1000;
  level2(v);
  return local;
}

static sigjmp_buf g_sig;
static volatile sig_atomic_t g_handled;
static void on_signal(int sig) {
  g_handled = sig;
  siglongjmp(g_sig, sig);
}

int main(void) {
  const char *inputs[] = {"[1,2,[3,4],5]", "[[[[7]]]]", "[1,x]", "[1,2", "[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]", "42"};
  for (int i = 0; i < 6; ++i) {
    int v = -1;
    int code = try_parse(inputs[i], &v);
    if (code)
      printf("parse %-12.12s -> error %d (%s) depth=%d\n", inputs[i], code, g_msg, g_depth_max);
    else
      printf("parse %-12.12s -> %d depth=%d\n", inputs[i], v, g_depth_max);
  }
  for (int v = 0; v <= 3; ++v) {
    ntrace = 0;
    int r;
    if (setjmp(outer) == 0) {
      r = level1(v);
    } else {
      r = -1;
      trace[ntrace++] = 99;
    }
    printf("level1(%d) = %d trace:", v, r);
    for (int i = 0; i < ntrace; ++i) printf(" %d", trace[i]);
    printf("\n");
  }
  signal(SIGUSR1, on_signal);
  volatile int rounds = 0;
  int got = sigsetjmp(g_sig, 1);
  if (got == 0 || rounds < 3) {
    ++rounds;
    raise(SIGUSR1);
  }
  printf("signal rounds=%d handled=%d got=%d\n", rounds, (int)g_handled, got);
  return 0;
}
