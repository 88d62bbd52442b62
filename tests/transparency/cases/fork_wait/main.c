/* Processes: fork, a child that computes and reports through a pipe then
 * exits with a chosen status, waitpid, a child killed by a signal, and
 * execv of /bin/sh printing a fixed string.  The parent prints everything in
 * a fixed order after collecting the children. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static long collatz_steps(long n) {
  long steps = 0;
  while (n != 1) {
    n = (n % 2) ? 3 * n + 1 : n / 2;
    ++steps;
  }
  return steps;
}

static int spawn_worker(long start, long count, int fd_out[2], pid_t *pid) {
  if (pipe(fd_out) != 0) return -1;
  fflush(stdout);
  fflush(stderr);
  *pid = fork();
  if (*pid < 0) return -1;
  if (*pid == 0) {
    close(fd_out[0]);
    long best = start, best_steps = 0;
    for (long n = start; n < start + count; ++n) {
      long s = collatz_steps(n);
      if (s > best_steps) { best_steps = s; best = n; }
    }
    char msg[64];
    int len = snprintf(msg, sizeof msg, "%ld:%ld", best, best_steps);
    if (write(fd_out[1], msg, (size_t)len) != len) _exit(100);
    close(fd_out[1]);
    _exit((int)(best_steps % 50));
  }
  close(fd_out[1]);
  return 0;
}

int main(void) {
  printf("parent starts\n");
  int fds[3][2];
  pid_t pids[3];
  for (int i = 0; i < 3; ++i) spawn_worker(1 + i * 10000, 10000, fds[i], &pids[i]);
  for (int i = 0; i < 3; ++i) {
    char buf[64] = {0};
    ssize_t n = read(fds[i][0], buf, sizeof buf - 1);
    close(fds[i][0]);
    int status = 0;
    waitpid(pids[i], &status, 0);
    printf("worker %d: read %zd '%s' exited=%d status=%d\n", i, n, buf, WIFEXITED(status), WEXITSTATUS(status));
  }
  fflush(stdout);
  pid_t k = fork();
  if (k == 0) {
    raise(SIGTERM);
    _exit(0);
  }
  int status = 0;
  waitpid(k, &status, 0);
  printf("signalled child: signaled=%d sig=%d\n", WIFSIGNALED(status), WTERMSIG(status));
  fflush(stdout);
  pid_t e = fork();
  if (e == 0) {
    char *const argv[] = {"sh", "-c", "echo exec ok; echo exec stderr >&2; exit 3", NULL};
    execv("/bin/sh", argv);
    _exit(127);
  }
  waitpid(e, &status, 0);
  printf("exec child exit=%d\n", WEXITSTATUS(status));
  fflush(stdout);
  /* vfork: the child borrows the parent's stack until it execs or _exits. */
  volatile int shared_marker = 5;
  pid_t vf = vfork();
  if (vf == 0) {
    char *const argv[] = {"sh", "-c", "echo vfork child; exit 4", NULL};
    execv("/bin/sh", argv);
    _exit(127);
  }
  waitpid(vf, &status, 0);
  printf("vfork child exit=%d marker=%d\n", WEXITSTATUS(status), shared_marker);
  return 0;
}
