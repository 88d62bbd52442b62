/* Process state a program can observe at the start of main: signal
 * dispositions and the signal mask, the lowest free file descriptor (open
 * returns it), which of fds 0-9 are open, the number of threads, the
 * umask, the resource limit on open files, and stdio buffering state.  An
 * instrumented program should see the same process as a plain one. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *disposition(int sig) {
  struct sigaction sa;
  if (sigaction(sig, NULL, &sa) != 0) return "error";
  if (sa.sa_handler == SIG_DFL) return "default";
  if (sa.sa_handler == SIG_IGN) return "ignored";
  return "handled";
}

static int thread_count(void) {
  FILE *f = fopen("/proc/self/status", "r");
  if (!f) return -1;
  char line[256];
  int n = -1;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "Threads: %d", &n) == 1) break;
  fclose(f);
  return n;
}

int main(void) {
  static const struct { int sig; const char *name; } sigs[] = {
      {SIGHUP, "HUP"},   {SIGINT, "INT"},   {SIGQUIT, "QUIT"}, {SIGILL, "ILL"},   {SIGABRT, "ABRT"},
      {SIGFPE, "FPE"},   {SIGSEGV, "SEGV"}, {SIGBUS, "BUS"},   {SIGPIPE, "PIPE"}, {SIGALRM, "ALRM"},
      {SIGTERM, "TERM"}, {SIGUSR1, "USR1"}, {SIGUSR2, "USR2"}, {SIGCHLD, "CHLD"}, {SIGPROF, "PROF"},
      {SIGSYS, "SYS"},   {SIGTRAP, "TRAP"}, {SIGURG, "URG"},   {SIGXFSZ, "XFSZ"}, {SIGVTALRM, "VTALRM"}};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; ++i)
    printf("signal %-8s %s\n", sigs[i].name, disposition(sigs[i].sig));
  sigset_t mask;
  sigprocmask(SIG_BLOCK, NULL, &mask);
  int blocked = 0;
  for (int s = 1; s < 65; ++s)
    if (sigismember(&mask, s) == 1) ++blocked;
  printf("blocked signals: %d\n", blocked);
  printf("threads: %d\n", thread_count());
  printf("open fds 0-9:");
  for (int fd = 0; fd < 10; ++fd)
    if (fcntl(fd, F_GETFD) != -1) printf(" %d", fd);
  printf("\n");
  int fd = open("/dev/null", O_RDONLY);
  printf("first open() returns fd %d\n", fd);
  int fd2 = dup(fd);
  printf("dup returns fd %d\n", fd2);
  close(fd2);
  close(fd);
  mode_t old = umask(022);
  umask(old);
  printf("umask %03o\n", (unsigned)old);
  struct rlimit rl;
  getrlimit(RLIMIT_STACK, &rl);
  printf("stack limit %s\n", rl.rlim_cur == RLIM_INFINITY ? "unlimited" : "finite");
  printf("stdin isatty=%d\n", isatty(0));
  return 0;
}
