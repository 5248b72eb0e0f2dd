package jrun.sys;

/**
 * System call numbers for the architectures jrun supports. jrun calls the kernel through one
 * generic {@code syscall(2)} downcall (see {@link Native}): every extra downcall handle costs
 * milliseconds of start-up, so the numbers live here instead of one handle per libc wrapper.
 */
public enum SyscallNr {
    //            x86_64  aarch64
    READ(0, 63),
    WRITE(1, 64),
    CLOSE(3, 57),
    FSTATFS(138, 44),
    MMAP(9, 222),
    MPROTECT(10, 226),
    MUNMAP(11, 215),
    MREMAP(25, 216),
    BRK(12, 214),
    PPOLL(271, 73),
    FUTEX(202, 98),
    RT_SIGACTION(13, 134),
    RT_SIGPROCMASK(14, 135),
    IOCTL(16, 29),
    PWRITE64(18, 68),
    DUP3(292, 24),
    SENDFILE(40, 71),
    GETPID(39, 172),
    SOCKET(41, 198),
    CONNECT(42, 203),
    SENDMSG(46, 211),
    RECVMSG(47, 212),
    BIND(49, 200),
    LISTEN(50, 201),
    EXECVE(59, 221),
    WAIT4(61, 260),
    KILL(62, 129),
    CLONE(56, 220),
    FCNTL(72, 25),
    FTRUNCATE(77, 46),
    CHDIR(80, 49),
    FCHDIR(81, 50),
    UMASK(95, 166),
    GETPGID(121, 155),
    SETSID(112, 157),
    SETGROUPS(116, 159),
    SETRESUID(117, 147),
    SETRESGID(119, 149),
    SETFSUID(122, 151),
    SETFSGID(123, 152),
    CAPGET(125, 90),
    CAPSET(126, 91),
    PERSONALITY(135, 92),
    PIVOT_ROOT(155, 41),
    PRCTL(157, 167),
    CHROOT(161, 51),
    MOUNT(165, 40),
    UMOUNT2(166, 39),
    SETHOSTNAME(170, 161),
    SETDOMAINNAME(171, 162),
    SCHED_SETAFFINITY(203, 122),
    SCHED_GETAFFINITY(204, 123),
    GETDENTS64(217, 61),
    EXIT_GROUP(231, 94),
    EPOLL_CTL(233, 21),
    SET_MEMPOLICY(238, 237),
    WAITID(247, 95),
    KEYCTL(250, 219),
    IOPRIO_SET(251, 30),
    INOTIFY_ADD_WATCH(254, 27),
    OPENAT(257, 56),
    MKDIRAT(258, 34),
    MKNODAT(259, 33),
    FCHOWNAT(260, 54),
    UNLINKAT(263, 35),
    RENAMEAT(264, 38),
    SYMLINKAT(266, 36),
    READLINKAT(267, 78),
    FCHMODAT(268, 53),
    FACCESSAT(269, 48),
    UNSHARE(272, 97),
    EPOLL_PWAIT(281, 22),
    ACCEPT4(288, 242),
    EVENTFD2(290, 19),
    EPOLL_CREATE1(291, 20),
    PIPE2(293, 59),
    INOTIFY_INIT1(294, 26),
    PRLIMIT64(302, 261),
    SETNS(308, 268),
    PROCESS_VM_READV(310, 270),
    SCHED_SETATTR(314, 274),
    SECCOMP(317, 277),
    GETRANDOM(318, 278),
    MEMFD_CREATE(319, 279),
    BPF(321, 280),
    STATX(332, 291),
    PIDFD_SEND_SIGNAL(424, 424),
    OPEN_TREE(428, 428),
    MOVE_MOUNT(429, 429),
    FSOPEN(430, 430),
    FSCONFIG(431, 431),
    FSMOUNT(432, 432),
    PIDFD_OPEN(434, 434),
    CLONE3(435, 435),
    CLOSE_RANGE(436, 436),
    OPENAT2(437, 437),
    PIDFD_GETFD(438, 438),
    MOUNT_SETATTR(442, 442);

    private final int x86_64;
    private final int aarch64;

    SyscallNr(int x86_64, int aarch64) {
        this.x86_64 = x86_64;
        this.aarch64 = aarch64;
    }

    /** The number on {@link Arch#current()}; -1 where the architecture lacks the call. */
    public long nr() {
        return Arch.current() == Arch.AARCH64 ? aarch64 : x86_64;
    }
}
