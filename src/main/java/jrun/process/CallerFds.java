package jrun.process;

import java.io.File;
import jrun.base.Environment;

/**
 * The fds jrun's caller handed it, the only ones {@code --preserve-fds} may pass on. The JVM
 * opens files of its own before {@code main} (the JDK's lib/modules, the jar) and jrun more
 * after it (the state lock, pipes), each at the lowest free number: inside the preserved range
 * whenever the caller left a gap there, and reopenable read-write by the container through
 * /proc/self/fd. bin/jrun lists the fds its shell inherited in {@code JRUN_CALLER_FDS} (the
 * caller's exactly, see there). A JVM started some other way has no such list: then the fds
 * open at the start of {@link jrun.cli.Main}, but the JVM's own files, count as the caller's.
 */
public final class CallerFds {
    private static final String VARIABLE = "JRUN_CALLER_FDS";
    private static boolean[] atMainStart;

    private CallerFds() {}

    /**
     * Records the fds open now, when bin/jrun did not say which are the caller's: call it first
     * thing in main. The JVM's own files (anything under java.home, the class path's entries)
     * are left out: the JVM opened them before main, and may have closed some since.
     */
    public static void recordUnlessListed() {
        if (Environment.get(VARIABLE) != null) {
            return;
        }
        String[] names = new File("/proc/self/fd").list();
        if (names == null) {
            return;
        }
        java.util.Set<String> jvmFiles = new java.util.HashSet<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            jvmFiles.add(new File(entry).getAbsolutePath());
        }
        String javaHome = System.getProperty("java.home") + "/";
        boolean[] open = new boolean[1024];
        for (String n : names) {
            int fd = Integer.parseInt(n);
            if (fd >= open.length) {
                open = java.util.Arrays.copyOf(open, fd + 1);
            }
            String target;
            try {
                target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd", n)).toString();
            } catch (java.io.IOException e) {
                continue;  // the listing's own directory fd, closed by now
            }
            open[fd] = !target.startsWith(javaHome) && !jvmFiles.contains(target);
        }
        atMainStart = open;
    }

    /** The caller's fds among {@code from .. to-1}, as a mask indexed by {@code fd - from}. */
    static boolean[] passedIn(int from, int to) {
        return passedIn(Environment.get(VARIABLE), atMainStart, from, to);
    }

    /** {@link #passedIn(int, int)} from bin/jrun's list, else from the fds open at main's start (null: none). */
    static boolean[] passedIn(String listed, boolean[] atMainStart, int from, int to) {
        boolean[] passed = new boolean[Math.max(0, to - from)];
        if (listed != null) {
            // Numbers separated by anything else: a plain loop, no regex on create's path.
            long fd = -1;
            for (int i = 0; i <= listed.length(); i++) {
                char c = i < listed.length() ? listed.charAt(i) : ' ';
                if (c >= '0' && c <= '9') {
                    fd = Math.min((fd < 0 ? 0 : fd) * 10 + (c - '0'), to);  // at most "beyond the range"
                } else {
                    if (fd >= from && fd < to) {
                        passed[(int) fd - from] = true;
                    }
                    fd = -1;
                }
            }
        } else if (atMainStart != null) {
            for (int fd = from; fd < to && fd < atMainStart.length; fd++) {
                passed[fd - from] = atMainStart[fd];
            }
        }
        return passed;
    }
}
