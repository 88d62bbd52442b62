/* User-level context switching with getcontext/makecontext/swapcontext:
 * two cooperative "green threads" on their own stacks ping-pong with the
 * main context, a generator implemented as a context, and uc_link returning
 * to a chosen context when a function ends.  Instrumented functions run on
 * foreign stacks and are left and resumed in the middle. */
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

static ucontext_t main_ctx, ctx_a, ctx_b, gen_ctx, done_ctx;
static char trace[256];
static int tpos;

static void mark(char c) {
  if (tpos < (int)sizeof trace - 1) trace[tpos++] = c;
}

static void worker(int id, int rounds) {
  for (int i = 0; i < rounds; ++i) {
    mark((char)('a' + id * 2 + (i % 2)));
    swapcontext(id == 0 ? &ctx_a : &ctx_b, &main_ctx);
  }
  mark(id == 0 ? 'A' : 'B');
}

static long gen_value;
static int gen_done;
static void generator(void) {
  long a = 1, b = 1;
  for (int i = 0; i < 15; ++i) {
    gen_value = a;
    swapcontext(&gen_ctx, &main_ctx);
    long t = a + b;
    a = b;
    b = t;
  }
  gen_done = 1;
}

static int finished_count;
static void finished(void) { ++finished_count; }

int main(void) {
  enum { STACK = 64 * 1024 };
  char *sa = malloc(STACK), *sb = malloc(STACK), *sg = malloc(STACK), *sd = malloc(STACK);
  getcontext(&done_ctx);
  done_ctx.uc_stack.ss_sp = sd;
  done_ctx.uc_stack.ss_size = STACK;
  done_ctx.uc_link = &main_ctx;
  makecontext(&done_ctx, finished, 0);

  getcontext(&ctx_a);
  ctx_a.uc_stack.ss_sp = sa;
  ctx_a.uc_stack.ss_size = STACK;
  ctx_a.uc_link = &main_ctx;
  makecontext(&ctx_a, (void (*)(void))worker, 2, 0, 4);
  getcontext(&ctx_b);
  ctx_b.uc_stack.ss_sp = sb;
  ctx_b.uc_stack.ss_size = STACK;
  ctx_b.uc_link = &main_ctx;
  makecontext(&ctx_b, (void (*)(void))worker, 2, 1, 6);
  for (int round = 0; round < 7; ++round) {
    if (round < 5) swapcontext(&main_ctx, &ctx_a);
    swapcontext(&main_ctx, &ctx_b);
    mark('.');
  }
  trace[tpos] = 0;
  printf("trace %s\n", trace);

  getcontext(&gen_ctx);
  gen_ctx.uc_stack.ss_sp = sg;
  gen_ctx.uc_stack.ss_size = STACK;
  gen_ctx.uc_link = &done_ctx;
  makecontext(&gen_ctx, generator, 0);
  long sum = 0;
  int n = 0;
  while (1) {
    swapcontext(&main_ctx, &gen_ctx);
    if (gen_done) break;
    sum += gen_value;
    ++n;
  }
  printf("generator n=%d sum=%ld finished=%d\n", n, sum, finished_count);
  free(sa);
  free(sb);
  free(sg);
  free(sd);
  return 0;
}
