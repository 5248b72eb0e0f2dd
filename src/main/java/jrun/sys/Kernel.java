package jrun.sys;

/** Flag values of the system calls jrun makes (uapi headers; same on x86_64 and aarch64). */
public final class Kernel {
    public static final long AT_FDCWD = -100;
    public static final long AT_SYMLINK_NOFOLLOW = 0x100;
    public static final long AT_EMPTY_PATH = 0x1000;
    public static final long AT_RECURSIVE = 0x8000;

    public static final long S_IFREG = 0100000;
    public static final long O_RDONLY = 0;
    public static final long O_WRONLY = 1;
    public static final long O_RDWR = 2;
    public static final long O_NOCTTY = 0400;
    public static final long O_CREAT = 0100;
    public static final long O_NOFOLLOW = 0400000;
    public static final long O_DIRECTORY = 0200000;
    public static final long O_CLOEXEC = 02000000;
    public static final long O_PATH = 010000000;

    public static final long RESOLVE_NO_XDEV = 0x01;
    public static final long RESOLVE_NO_MAGICLINKS = 0x02;
    public static final long RESOLVE_NO_SYMLINKS = 0x04;
    public static final long RESOLVE_BENEATH = 0x08;
    public static final long RESOLVE_IN_ROOT = 0x10;
    /** sizeof(struct open_how), openat2's last argument (see NativeCopy.openHow). */
    public static final long OPEN_HOW_SIZE = 24;

    public static final long OPEN_TREE_CLONE = 1;
    public static final long MOVE_MOUNT_F_EMPTY_PATH = 0x4;
    public static final long MOVE_MOUNT_T_EMPTY_PATH = 0x40;
    public static final long FSOPEN_CLOEXEC = 1;
    public static final long FSMOUNT_CLOEXEC = 1;
    public static final long FSCONFIG_SET_FLAG = 0;
    public static final long FSCONFIG_SET_STRING = 1;
    public static final long FSCONFIG_SET_FD = 5;
    public static final long FSCONFIG_CMD_CREATE = 6;
    public static final long PROC_SUPER_MAGIC = ProcFiles.PROC_SUPER_MAGIC;
    /** statfs f_type of sysfs (linux/magic.h). */
    public static final long SYSFS_MAGIC = 0x62656572;
    public static final long STATFS_SIZE = ProcFiles.STATFS_SIZE;

    public static final long MS_MOVE = 8192;
    public static final long MS_REC = 0x4000;
    public static final long MNT_DETACH = 2;

    public static final long KEYCTL_JOIN_SESSION_KEYRING = 1;
    public static final long PR_SET_PDEATHSIG = 1;
    public static final long PR_SET_DUMPABLE = 4;
    public static final long PR_SET_KEEPCAPS = 8;
    public static final long PR_CAPBSET_DROP = 24;
    public static final long PR_SET_NO_NEW_PRIVS = 38;
    public static final long PR_CAP_AMBIENT = 47;
    public static final long PR_CAP_AMBIENT_RAISE = 2;
    public static final long PR_CAP_AMBIENT_CLEAR_ALL = 4;
    public static final long LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    public static final long CLOSE_RANGE_CLOEXEC = 1 << 2;
    public static final long F_SETFD = 2;
    public static final long FD_CLOEXEC = 1;
    public static final long RLIMIT_NOFILE = 7;
    public static final long F_DUPFD_CLOEXEC = 1030;
    public static final long SIG_BLOCK = 0;
    public static final long SIG_SETMASK = 2;
    public static final long TIOCSCTTY = 0x540E;
    public static final long TIOCSWINSZ = 0x5414;
    public static final long TIOCGPTPEER = 0x5441;
    public static final long TIOCSPTLCK = 0x40045431;
    public static final int SCHED_ATTR_SIZE = 48; // SCHED_ATTR_SIZE_VER0: no utilization clamps
    public static final long IOPRIO_WHO_PROCESS = 1;
    public static final long F_OK = 0;
    public static final long X_OK = 1;

    public static final long O_EXCL = 0200;
    public static final long O_NONBLOCK = 04000;
    public static final long O_TRUNC = 01000;
    public static final long O_APPEND = 02000;
    public static final long F_SETFL = 4;
    public static final long AT_REMOVEDIR = 0x200;
    public static final long MOUNT_ATTR_IDMAP = 0x00100000;
    public static final long MFD_CLOEXEC = 1;
    public static final long MFD_ALLOW_SEALING = 2;
    public static final long MFD_EXEC = 0x10;
    public static final long F_ADD_SEALS = 1033;
    /** F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE: a memfd stays as it is. */
    public static final long F_ALL_SEALS = 0x1 | 0x2 | 0x4 | 0x8;
    public static final long PROT_NONE = 0;
    public static final long PROT_READ = 1;
    public static final long PROT_WRITE = 2;
    public static final long PROT_EXEC = 4;
    public static final long MAP_PRIVATE = 2;
    public static final long MAP_FIXED = 0x10;
    public static final long MAP_ANONYMOUS = 0x20;
    public static final long MAP_NORESERVE = 0x4000;
    public static final long MREMAP_MAYMOVE = 1;
    public static final long MREMAP_FIXED = 2;
    public static final long PR_SET_NAME = 15;
    public static final long PR_SET_MM = 35;
    public static final long PR_SET_MM_MAP = 14;
    public static final long TIOCGWINSZ = 0x5413;
    public static final long TIOCGPGRP = 0x540F;
    public static final long CLONE_PARENT = 0x8000;
    public static final long CLONE_PARENT_SETTID = 0x100000;

    private Kernel() {}
}
