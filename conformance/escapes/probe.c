/*
 * probe: the container-side half of jrun's hardening tests. Statically linked and copied into
 * a test bundle's rootfs, it makes one system call the way an attacker in the container would
 * and prints what the kernel answered, so a test can tell a seccomp errno from a missing
 * capability from success. Built by the tests with `gcc -static -O2`.
 *
 *   probe sys NR [ARG...]        syscall(NR, ARG...): integers, 0x... for hex
 *   probe mount SRC DST FSTYPE   mount(2)
 *   probe ptrace PID             ptrace(PTRACE_SEIZE, PID): attaches without stopping it
 *   probe write PATH TEXT        open(PATH, O_WRONLY|O_APPEND) and write TEXT
 *   probe read PATH              open(PATH, O_RDONLY) and print up to 200 bytes (non-text as '.')
 *
 * Output: one line "ret=R errno=E" (errno 0 on success); `read` prints the data after it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

static int report(long ret) {
    printf("ret=%ld errno=%d\n", ret, ret < 0 ? errno : 0);
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: probe sys|mount|ptrace|write|read ...\n");
        return 2;
    }
    const char *op = argv[1];
    if (!strcmp(op, "sys") && argc >= 3) {
        long a[6] = {0};
        for (int i = 3; i < argc && i < 9; i++) {
            a[i - 3] = (long) strtoull(argv[i], NULL, 0);
        }
        errno = 0;
        return report(syscall(strtol(argv[2], NULL, 0), a[0], a[1], a[2], a[3], a[4], a[5]));
    }
    if (!strcmp(op, "mount") && argc == 5) {
        return report(mount(argv[2], argv[3], argv[4], 0, NULL));
    }
    if (!strcmp(op, "ptrace") && argc == 3) {
        return report(ptrace(PTRACE_SEIZE, atoi(argv[2]), 0, 0));
    }
    if (!strcmp(op, "write") && argc == 4) {
        int fd = open(argv[2], O_WRONLY | O_APPEND);
        if (fd < 0) {
            return report(fd);
        }
        return report(write(fd, argv[3], strlen(argv[3])));
    }
    if (!strcmp(op, "read") && argc == 3) {
        int fd = open(argv[2], O_RDONLY);
        if (fd < 0) {
            return report(fd);
        }
        char buf[201];
        long n = read(fd, buf, 200);
        report(n);
        for (long i = 0; i < n; i++) {
            /* text as is, anything else as '.', so that a binary's bytes do not garble the report */
            unsigned char c = (unsigned char) buf[i];
            putchar(c == '\n' || (c >= 0x20 && c < 0x7f) ? c : '.');
        }
        return 0;
    }
    fprintf(stderr, "probe: bad arguments\n");
    return 2;
}
