/* attach_all.c -- preloaded into an instrumented test program by
 * `run_case.sh --attach-all`.
 *
 * Attaches a prolog that does nothing visible to EVERY hook point ("*", also
 * those of images loaded later), and an epilog to about half of them, before
 * the program's own constructors run.  The callbacks read each argument and the result through
 * the C API, the way a real monitoring callback would, but change nothing:
 * the program must still behave exactly like the plain build.  This checks
 * the attached path of the hook engine (argument capture, epilogs, nested
 * hooked calls, exceptions and longjmp through attached frames, threads),
 * not just the detached one.
 *
 * Nothing is ever printed on the program's stdout or stderr.  If the
 * environment variable VIGILTEST_ATTACH_STATS names a file, the number of hook points
 * and of callback runs is written there at exit, so the runner can show that
 * the callbacks really ran.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vigil/vigil.h>

static uint64_t g_prologs, g_epilogs, g_arg_bytes;
static int g_attach_status = -1;
static const char* g_stats_path;

static void touch(const void* p) {
  if (p) __atomic_fetch_add(&g_arg_bytes, *(const volatile unsigned char*)p & 1u, __ATOMIC_RELAXED);
}

static void prolog(vigil_call* call, void* user) {
  (void)user;
  __atomic_fetch_add(&g_prologs, 1, __ATOMIC_RELAXED);
  size_t n = vigil_call_arg_count(call);
  for (size_t i = 0; i < n; ++i) touch(vigil_call_arg(call, i));
  (void)vigil_call_hook_name(call);
}

static void epilog(vigil_call* call, void* user) {
  (void)user;
  __atomic_fetch_add(&g_epilogs, 1, __ATOMIC_RELAXED);
  if (vigil_call_result_size(call) > 0) touch(vigil_call_result(call));
}

/* write(2) only: stdio may be gone this late. */
static void write_stats(const char* when) {
  if (!g_stats_path) return;
  int fd = open(g_stats_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  char buf[160];
  int len = snprintf(buf, sizeof buf, "%s: attach=%d hook_points=%zu prologs=%llu epilogs=%llu\n", when, g_attach_status,
                     vigil_hook_count(NULL), (unsigned long long)__atomic_load_n(&g_prologs, __ATOMIC_RELAXED),
                     (unsigned long long)__atomic_load_n(&g_epilogs, __ATOMIC_RELAXED));
  if (len > 0) (void)!write(fd, buf, (size_t)len);
  close(fd);
}

/* Written at start (after attaching) and again at a normal exit; a program
   killed by a signal leaves the "start" line. */
__attribute__((destructor)) static void attach_all_fini(void) { write_stats("at exit"); }

__attribute__((constructor(101))) static void attach_all_init(void) {
  g_stats_path = getenv("VIGILTEST_ATTACH_STATS");
  /* Only the test program itself: not the shells and helpers it execs. */
  const char* only = getenv("VIGILTEST_ATTACH_ONLY_EXE");
  if (only) {
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return;
    self[n] = 0;
    if (strcmp(self, only) != 0) {
      g_stats_path = NULL;
      return;
    }
  }
  /* A prolog on every hook point; an epilog as well on those whose name
     has an 'e' (about half). The two calls of the engine are both taken in
     every program, side by side and nested in each other: prologs only
     (the call goes on into the function's own body) and with an epilog
     (the call is finished through the invoke thunk). */
  vigil_callbacks cb;
  memset(&cb, 0, sizeof cb);
  cb.prolog = prolog;
  cb.max_errors = VIGIL_MAX_ERRORS_NEVER;
  cb.allow_pending = 1;
  vigil_attachment a;
  g_attach_status = (int)vigil_attach("*", &cb, &a);
  cb.prolog = NULL;
  cb.epilog = epilog;
  if (g_attach_status == 0) g_attach_status = (int)vigil_attach("*e*", &cb, &a);
  write_stats("at start");
}
