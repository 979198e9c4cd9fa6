/*
 * LD_PRELOAD shim for the test harness only: sets TCP_NODELAY on every TCP socket the
 * process accepts. Debian's vsmartcard-vpcd (inside pcscd) writes each frame's 2-byte
 * length and its payload in two send() calls; with Nagle's algorithm the payload then
 * waits for the virtual card's delayed ACK, ~40 ms per APDU. Real readers and phones are
 * far slower than vpcd, so the product must never be tuned to this: it only keeps the
 * PC/SC test suite and the benchmark honest about our own code's cost.
 *
 * Unix-domain sockets (pcscd's client socket) are left alone, and errno is preserved so the
 * caller sees exactly what the real accept() reported.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

typedef int (*accept_fn)(int, struct sockaddr *, socklen_t *);
typedef int (*accept4_fn)(int, struct sockaddr *, socklen_t *, int);

static void set_nodelay(int fd) {
  if (fd < 0) return;
  int saved = errno;
  struct sockaddr_storage addr;
  socklen_t len = sizeof addr;
  if (getsockname(fd, (struct sockaddr *)&addr, &len) == 0 &&
      (addr.ss_family == AF_INET || addr.ss_family == AF_INET6)) {
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  errno = saved;
}

int accept(int sockfd, struct sockaddr *addr, socklen_t *addrlen) {
  static accept_fn real;
  if (!real) real = (accept_fn)dlsym(RTLD_NEXT, "accept");
  int fd = real(sockfd, addr, addrlen);
  set_nodelay(fd);
  return fd;
}

int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags) {
  static accept4_fn real;
  if (!real) real = (accept4_fn)dlsym(RTLD_NEXT, "accept4");
  int fd = real(sockfd, addr, addrlen, flags);
  set_nodelay(fd);
  return fd;
}
