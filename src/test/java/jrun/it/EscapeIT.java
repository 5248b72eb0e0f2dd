package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jrun.linux.HostProbe;
import jrun.linux.seccomp.HardeningBundles;
import jrun.linux.seccomp.SyscallProbe;
import jrun.sys.Arch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * runc's escapes, one test per class, against jrun. Each test mounts the attack on jrun and
 * shows it fails, then shows that the attack's primitive does work when the protection jrun
 * relies on is absent (the same call against a target without it, or the path-based operation
 * runc made), so a regression would make the first half fail.
 */
class EscapeIT {
    /** runc's default capabilities, as setpriv takes them: what an exec'd container process has. */
    private static final List<String> AS_CONTAINER_PROCESS = List.of("setpriv", "--bounding-set",
            "-all,+audit_write,+kill,+net_bind_service", "--inh-caps", "-all", "--");

    @TempDir
    Path tmp;

    @BeforeAll
    static void x86_64() {
        assumeTrue(Arch.current() == Arch.X86_64, "the probe's system call numbers are x86_64's");
    }

    private Jrun jrun() {
        return new Jrun(tmp.resolve("root"));
    }

    /** jrun with extra fds opened by a shell first ({@code redirections}, e.g. {@code 7<>file}). */
    private Jrun.Result jrunWithFds(String redirections, String... args) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "exec " + redirections + "; exec \"$@\"", "sh"));
        cmd.addAll(Jrun.launcher());
        cmd.add("--root");
        cmd.add(tmp.resolve("root").toString());
        cmd.addAll(List.of(args));
        return Jrun.exec(cmd, null, 120);
    }

    private int pidOf(String id) {
        return Bundles.parse(jrun().run("state", id).ok().stdout()).path("pid").asInt();
    }

    private static Jrun.Result host(List<String> cmd) {
        return Jrun.exec(cmd, null, 60);
    }

    private static List<String> asContainerProcess(String... cmd) {
        List<String> out = new ArrayList<>(AS_CONTAINER_PROCESS);
        out.addAll(List.of(cmd));
        return out;
    }

    private static String probe() {
        return SyscallProbe.binary().toString();
    }

    private static void removeMount(ObjectNode config, String destination) {
        ArrayNode mounts = (ArrayNode) config.get("mounts");
        for (int i = mounts.size() - 1; i >= 0; i--) {
            if (mounts.get(i).path("destination").asString().equals(destination)) {
                mounts.remove(i);
            }
        }
    }

    private static void bind(ObjectNode config, Path source, String destination) {
        ObjectNode m = ((ArrayNode) config.get("mounts")).addObject();
        m.put("destination", destination);
        m.put("type", "bind");
        m.put("source", source.toString());
        m.putArray("options").add("rbind").add("rw");
    }

    // ---- CVE-2019-5736: the runtime's own files through /proc/PID of its init ----

    /**
     * Until execve the container's init is a clone of jrun's JVM: /proc/PID/exe is the host's
     * java, its fds are jrun's (jars, the JDK's modules, whatever jrun inherited). A process
     * with the container's credentials (as an exec'd process or a container sharing the pid
     * namespace has) tries to read the binary and to write a host file through the init's fd.
     * jrun's JVM and its clone are non-dumpable, so the kernel refuses the first; the init has
     * closed jrun's fds, so there is no second.
     */
    @Test
    void cve2019_5736_theInitsBinaryAndFdsAreOutOfReachWhileItIsJrunsJvm() throws Exception {
        Path victim = tmp.resolve("victim");
        Files.writeString(victim, "original\n");
        Path bundle = HardeningBundles.runcDefault(tmp.resolve("b"), List.of("true"), c -> { });
        jrunWithFds("7<>" + victim, "create", "-b", bundle.toString(), "cve-2019-5736").ok();
        try {
            int init = pidOf("cve-2019-5736");
            Jrun.Result exe = host(asContainerProcess(probe(), "read", "/proc/" + init + "/exe"));
            Jrun.Result fd = host(asContainerProcess(probe(), "write", "/proc/" + init + "/fd/7", "pwned\n"));
            assertTrue(exe.stdout().startsWith("ret=-1 errno=13"), "read the host's java: " + exe.stdout() + exe.stderr());
            // EACCES while the init held jrun's fds (non-dumpable); ENOENT since it closes them
            // (ChildExposureIT: what a container holding CAP_SYS_PTRACE gets)
            assertTrue(fd.stdout().startsWith("ret=-1 errno=2\n"), "wrote through the init's fd: " + fd.stdout() + fd.stderr());
            assertEquals("original\n", Files.readString(victim));
            jrun().run("start", "cve-2019-5736").ok();
        } finally {
            jrun().run("delete", "-f", "cve-2019-5736");
        }

        // The same attack on a process with the same credentials that is dumpable succeeds:
        // non-dumpability is all that stood in its way.
        java.lang.Process target = new ProcessBuilder(asContainerProcess("sh", "-c",
                "exec 7<>" + victim + "; exec sleep 60")).start();
        try {
            waitForFd(target.pid(), 7);
            Jrun.Result exe = host(asContainerProcess(probe(), "read", "/proc/" + target.pid() + "/exe"));
            Jrun.Result fd = host(asContainerProcess(probe(), "write", "/proc/" + target.pid() + "/fd/7", "pwned\n"));
            assertTrue(exe.stdout().startsWith("ret=200 errno=0\n.ELF"), exe.stdout() + exe.stderr());
            assertTrue(fd.stdout().startsWith("ret=6 errno=0"), fd.stdout() + fd.stderr());
            assertEquals("original\npwned\n", Files.readString(victim));
        } finally {
            target.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void waitForFd(long pid, int fd) throws InterruptedException {
        for (int i = 0; i < 100 && !Files.exists(Path.of("/proc/" + pid + "/fd/" + fd)); i++) {
            Thread.sleep(50);
        }
    }

    // ---- CVE-2024-21626: a leaked host fd as the working directory ----

    /**
     * runc leaked a host directory fd into its init, and {@code process.cwd} of
     * {@code /proc/self/fd/N} put the container's process in the host's filesystem. jrun is
     * started holding a host directory as fd 7: the cwd is refused (it is resolved in the
     * container's root with magic links refused), and a container that looks for fd 7 does not
     * find it.
     */
    @Test
    void cve2024_21626_aLeakedDirectoryFdCannotBecomeTheWorkingDirectory() throws Exception {
        Path hostDir = Files.createDirectory(tmp.resolve("host-dir"));
        Files.writeString(hostDir.resolve("secret"), "host-secret\n");
        Path viaCwd = HardeningBundles.runcDefault(tmp.resolve("cwd"), List.of("cat", "secret"),
                c -> ((ObjectNode) c.get("process")).put("cwd", "/proc/self/fd/7"));
        Jrun.Result refused = jrunWithFds("7<" + hostDir, "run", "-b", viaCwd.toString(), "cwd-fd");
        assertNotEquals(0, refused.exit());
        assertTrue(refused.stderr().contains("/process/cwd"), refused.stderr());
        assertFalse(refused.stdout().contains("host-secret"), refused.stdout());

        Path looking = HardeningBundles.runcDefault(tmp.resolve("look"),
                List.of("sh", "-c", "cd /proc/self/fd/7 && cat secret; ls /proc/self/fd; true"), c -> { });
        Jrun.Result notLeaked = jrunWithFds("7<" + hostDir, "run", "-b", looking.toString(), "look").ok();
        assertFalse(notLeaked.stdout().contains("host-secret"), notLeaked.stdout());

        // With the fd handed over on purpose (--preserve-fds), the path-based chdir through
        // /proc/self/fd lands on the host: all that stood in the way was that the fd did not leak.
        Jrun.Result preserved = jrunWithFds("3</dev/null 4</dev/null 5</dev/null 6</dev/null 7<" + hostDir,
                "run", "--preserve-fds", "5", "-b", looking.toString(), "preserved").ok();
        assertTrue(preserved.stdout().contains("host-secret"), preserved.stdout());
    }

    // ---- CVE-2019-16884, CVE-2023-27561, CVE-2025-52881: writes to a fake or redirected /proc ----

    /**
     * A fake /proc (a volume from the bundle mounted over it) or a file mounted over a sysctl
     * made runc's writes land in files of the attacker's: its AppArmor label, its sysctls.
     * jrun opens /proc before any of the container's mounts exist, so the kernel gets the value
     * and the fake file does not. The container's own path-based write shows the redirection.
     */
    /**
     * The image's own /proc, with no procfs mounted over it (a bind over /proc is refused since
     * CVE-2019-19921's fix, below, as in runc): jrun's writes go to the kernel, never to it.
     */
    @Test
    void cve2019_16884_aFakeProcDoesNotSwallowJrunsProcWrites() throws Exception {
        Path bundle = HardeningBundles.runcDefault(tmp.resolve("b"),
                List.of("sh", "-c", "echo 99 > /proc/sys/net/ipv4/ip_default_ttl"), c -> {
                    removeMount(c, "/proc");
                    ((ObjectNode) c.get("root")).put("readonly", false); // the container writes its fake /proc
                    ((ArrayNode) c.get("linux").get("readonlyPaths")).removeAll();
                    ((ObjectNode) c.get("linux")).putObject("sysctl").put("net.ipv4.ip_default_ttl", "42");
                });
        Path fake = bundle.resolve("rootfs/proc");
        Files.createDirectories(fake.resolve("sys/net/ipv4"));
        Path ttl = fake.resolve("sys/net/ipv4/ip_default_ttl");
        Files.writeString(ttl, "64\n");
        assertKernelGetsTheSysctlAndTheFakeFileTheContainersWrite(bundle, ttl, "fake-proc");
    }

    /**
     * A file mounted over a sysctl by the config is refused as a mount onto procfs (as runc
     * refuses it: inside /proc and not a file lxcfs emulates), so jrun's write cannot be
     * redirected to it; the runtime's own /proc/sys replaced is aSysctlIsNeverWrittenTo...
     */
    @Test
    void cve2025_52881_aFileMountedOverASysctlDoesNotRedirectJrunsWrite() throws Exception {
        Path ttl = tmp.resolve("ttl");
        Files.writeString(ttl, "64\n");
        Path bundle = HardeningBundles.runcDefault(tmp.resolve("b"),
                List.of("sh", "-c", "echo 99 > /proc/sys/net/ipv4/ip_default_ttl"), c -> {
                    bind(c, ttl, "/proc/sys/net/ipv4/ip_default_ttl");
                    ((ArrayNode) c.get("linux").get("readonlyPaths")).removeAll();
                    ((ObjectNode) c.get("linux")).putObject("sysctl").put("net.ipv4.ip_default_ttl", "42");
                });
        Jrun.Result refused = jrun().run("run", "-b", bundle.toString(), "redirected-sysctl");
        assertEquals(1, refused.exit(), refused.stdout() + refused.stderr());
        assertTrue(refused.stderr().contains("the destination is on procfs"), refused.stderr());
        assertEquals("64\n", Files.readString(ttl), "jrun's write went to the file");
        assertEquals("", jrun().run("list", "-q").ok().stdout().strip(), "nothing left of the container");
    }

    /**
     * The same class one level up: jrun itself runs where /proc/sys is not procfs (a file system
     * mounted over it in the runtime's mount namespace, which the init's is copied from). jrun
     * checks the /proc/sys it opened with fstatfs and refuses, naming the field, rather than
     * writing the sysctl into the file system in its place and reporting success.
     */
    @Test
    void aSysctlIsNeverWrittenToAFileSystemMountedOverProcSys() throws Exception {
        Path bundle = HardeningBundles.runcDefault(tmp.resolve("b"), List.of("true"),
                c -> ((ObjectNode) c.get("linux")).putObject("sysctl").put("net.ipv4.ip_default_ttl", "42"));
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs fake /proc/sys && mkdir -p /proc/sys/net/ipv4"
                        + " && echo 64 > /proc/sys/net/ipv4/ip_default_ttl && \"$@\"; rc=$?;"
                        + " echo fake=$(cat /proc/sys/net/ipv4/ip_default_ttl); exit $rc", "sh"));
        cmd.addAll(Jrun.launcher());
        cmd.addAll(List.of("--root", tmp.resolve("root").toString(), "run", "-b", bundle.toString(), "fake-proc-sys"));
        Jrun.Result r = Jrun.exec(cmd, null, 120);
        assertEquals(1, r.exit(), "jrun refuses: " + r.stdout() + r.stderr());
        assertTrue(r.stderr().contains("/proc/sys is on procfs") && r.stderr().contains("config.json /linux/sysctl"),
                r.stderr());
        assertTrue(r.stdout().contains("fake=64"), "the fake file is untouched: " + r.stdout());
        assertEquals("", jrun().run("list", "-q").ok().stdout().strip(), "nothing left of the container");
    }

    // ---- CVE-2019-19921: a volume mounted over /proc through a symlink ----

    /**
     * The image (or a neighbour sharing a volume) makes a mount's destination a symlink to
     * /proc: followed, the volume would cover the container's procfs with content of the
     * attacker's choosing (in runc's case, a fake /proc/self/attr that swallowed its AppArmor
     * write). Resolved in the root, the destination lands on the procfs jrun mounted, and a
     * mount there is refused, naming the mount, as runc 1.1.5 refuses it ("cannot be mounted
     * because it is not of type proc"); nothing is left. A bind onto a file lxcfs emulates
     * (/proc/meminfo) stays allowed, as in runc.
     */
    @Test
    void cve2019_19921_aMountWhoseDestinationIsSymlinkedToProcIsRefused() throws Exception {
        Path volume = Files.createDirectories(tmp.resolve("volume"));
        Files.writeString(volume.resolve("meminfo"), "MemTotal: fake\n");
        Path bundle = HardeningBundles.runcDefault(tmp.resolve("b"), List.of("cat", "/proc/meminfo"),
                c -> bind(c, volume, "/data"));
        Files.createSymbolicLink(bundle.resolve("rootfs/data"), Path.of("/proc"));
        Jrun.Result refused = jrun().run("run", "-b", bundle.toString(), "proc-volume");
        assertEquals(1, refused.exit(), refused.stdout() + refused.stderr());
        assertTrue(refused.stderr().contains("mount at /data (config.json /mounts/")
                && refused.stderr().contains("the destination is on procfs"), refused.stderr());
        assertEquals("", jrun().run("list", "-q").ok().stdout().strip(), "nothing left of the container");

        Path lxcfs = HardeningBundles.runcDefault(tmp.resolve("lxcfs"), List.of("cat", "/proc/meminfo"), c -> {
            ObjectNode m = ((ArrayNode) c.get("mounts")).addObject();
            m.put("destination", "/proc/meminfo").put("type", "bind").put("source", volume.resolve("meminfo").toString());
            m.putArray("options").add("bind").add("ro");
        });
        assertEquals("MemTotal: fake\n", jrun().run("run", "-b", lxcfs.toString(), "lxcfs-meminfo").ok().stdout());
    }

    private void assertKernelGetsTheSysctlAndTheFakeFileTheContainersWrite(Path bundle, Path fakeFile, String id)
            throws IOException {
        jrun().run("create", "-b", bundle.toString(), id).ok();
        try {
            int init = pidOf(id);
            Jrun.Result kernel = host(List.of("nsenter", "--net=/proc/" + init + "/ns/net", "cat",
                    "/proc/sys/net/ipv4/ip_default_ttl"));
            assertEquals("42", kernel.stdout().strip(), "the container's kernel value: " + kernel.stderr());
            assertEquals("64\n", Files.readString(fakeFile), "jrun's write went to the fake file");
            jrun().run("start", id).ok();
            waitStopped(id);
            assertEquals("99\n", Files.readString(fakeFile), "a path-based write is redirected");
        } finally {
            jrun().run("delete", "-f", id);
        }
    }

    private void waitStopped(String id) {
        for (int i = 0; i < 200; i++) {
            if (jrun().run("state", id).stdout().contains("\"stopped\"")) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError(id + " did not stop");
    }

    /**
     * The LSM half of the same escapes: the label is written through the host's /proc, before
     * the container's fake /proc is mounted. Tested with the host check: where AppArmor is
     * enabled the container runs under the profile despite the fake /proc; where it is not (this
     * build machine) the profile is refused by its field, never ignored.
     */
    @Test
    void cve2023_27561_anAppArmorProfileIsAppliedThroughTheHostsProcOrRefused() throws Exception {
        Path fakeProc = tmp.resolve("fakeproc");
        Files.createDirectories(fakeProc.resolve("self/attr"));
        Files.writeString(fakeProc.resolve("self/attr/exec"), "");
        Path bundle = HardeningBundles.runcDefault(tmp.resolve("b"),
                List.of("sh", "-c", "cat /proc/self/attr/current 2>&1; true"), c -> {
                    ((ObjectNode) c.get("process")).put("apparmorProfile", "unconfined");
                    bind(c, fakeProc, "/proc");
                    ((ArrayNode) c.get("linux").get("readonlyPaths")).removeAll();
                    ((ArrayNode) c.get("linux").get("maskedPaths")).removeAll();
                });
        Jrun.Result r = jrun().run("run", "-b", bundle.toString(), "apparmor");
        if (HostProbe.lsmHost().appArmor()) {
            r.ok();
            assertEquals("", Files.readString(fakeProc.resolve("self/attr/exec")), "the label went to the fake /proc");
        } else {
            assertNotEquals(0, r.exit());
            assertTrue(r.stderr().contains("config.json: /process/apparmorProfile: asks for the AppArmor profile"), r.stderr());
            assertTrue(r.stderr().contains("but AppArmor is not enabled"), r.stderr());
            assertTrue(jrun().run("list", "-q").stdout().isBlank(), "refused before anything was created");
        }
    }

    // ---- CVE-2021-30465: a mount destination swapped for a symlink during mounting ----

    /**
     * A mount destination inside the rootfs is swapped, while jrun mounts, between a directory
     * and a symlink to a host directory. jrun resolves each destination inside the rootfs
     * (openat2 RESOLVE_IN_ROOT) and mounts on the fd it got, so the host directory is never
     * touched, whichever state the race catches. The path-based mkdir and mount (what runc did
     * after its check) follow the symlink to the host.
     */
    @Test
    void cve2021_30465_aSymlinkSwappedDuringMountingCannotRedirectAMount() throws Exception {
        Path hostDir = Files.createDirectory(tmp.resolve("host-target"));
        int racing = 20;
        int fixed = 5;
        Path bundle = HardeningBundles.runcDefault(tmp.resolve("b"),
                List.of("sh", "-c", "grep -c /sub /proc/self/mountinfo"), c -> {
                    ArrayNode mounts = (ArrayNode) c.get("mounts");
                    for (int i = 0; i < racing; i++) {
                        mounts.addObject().put("destination", "/mnt/race/d/sub" + i).put("type", "tmpfs")
                                .put("source", "tmpfs");
                    }
                    for (int i = 0; i < fixed; i++) {
                        mounts.addObject().put("destination", "/mnt/link/sub" + i).put("type", "tmpfs")
                                .put("source", "tmpfs");
                    }
                });
        Path rootfs = bundle.resolve("rootfs");
        Files.createSymbolicLink(Files.createDirectories(rootfs.resolve("mnt")).resolve("link"), hostDir);
        Path race = Files.createDirectories(rootfs.resolve("mnt/race"));
        Files.createSymbolicLink(race.resolve("other"), hostDir);
        // Both states of d lead to existing directories, so every run completes whichever state
        // each step of the path walk sees: the symlink's inside the rootfs (where jrun resolves
        // it), the directory's in the image.
        Path inRootTarget = rootfs.resolve(hostDir.toString().substring(1));
        for (int i = 0; i < racing; i++) {
            Files.createDirectories(race.resolve("d/sub" + i));
            Files.createDirectories(inRootTarget.resolve("sub" + i));
        }
        AtomicBoolean stop = new AtomicBoolean();
        Thread racer = Thread.ofPlatform().start(() -> {
            // renameat2(RENAME_EXCHANGE) swaps atomically: d is the directory or the symlink, never missing
            try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                java.lang.foreign.MemorySegment capture = jrun.sys.Native.newCaptureState(arena);
                long a = arena.allocateFrom(race.resolve("d").toString()).address();
                long b = arena.allocateFrom(race.resolve("other").toString()).address();
                while (!stop.get()) {
                    jrun.sys.Native.syscall(capture, 316 /* renameat2 */, -100, a, -100, b, 2 /* RENAME_EXCHANGE */, 0);
                }
            }
        });
        try {
            for (int i = 0; i < 5; i++) {
                Jrun.Result r = jrun().run("run", "-b", bundle.toString(), "race" + i).ok();
                assertEquals(Integer.toString(racing + fixed), r.stdout().strip(), "every mount is in the container");
                try (var s = Files.list(hostDir)) {
                    assertEquals(List.of(), s.toList(), "jrun created something in the host directory");
                }
            }
        } finally {
            stop.set(true);
            racer.join();
        }

        // The unprotected primitive: mkdir -p and mount(2) by path follow the symlink to the host.
        Jrun.Result pathBased = host(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                "mkdir -p " + rootfs + "/mnt/link/sub && mount -t tmpfs none " + rootfs + "/mnt/link/sub && grep -c ' "
                        + hostDir + "/sub ' /proc/self/mountinfo"));
        assertEquals("1", pathBased.stdout().strip(), pathBased.stderr());
        assertTrue(Files.isDirectory(hostDir.resolve("sub")), "the path-based mkdir followed the symlink");
    }

    // ---- CVE-2025-31133: /dev/null replaced by a symlink to unmask a path ----

    /**
     * runc masked files by bind-mounting the container's /dev/null over them; an image (or a
     * container sharing /dev) that makes /dev/null a symlink turns the mask into a bind mount of
     * a file of its choice. jrun masks with clones of the host's /dev/null made before
     * pivot_root. The image here has no /dev mount of its own, so its /dev/null is the symlink.
     */
    @Test
    void cve2025_31133_aSymlinkedDevNullDoesNotChangeWhatMasksAPath() throws Exception {
        Path bundle = HardeningBundles.runcDefault(tmp.resolve("b"), List.of("sh", "-c",
                "ls -l /dev/null; probe read /proc/keys; probe read /proc/timer_list"), c -> removeMount(c, "/dev"));
        Path rootfs = bundle.resolve("rootfs");
        Files.writeString(rootfs.resolve("secret"), "image-secret\n");
        Files.deleteIfExists(rootfs.resolve("dev/null"));
        Files.createSymbolicLink(rootfs.resolve("dev/null"), Path.of("/secret"));
        Jrun.Result r = jrun().run("run", "-b", bundle.toString(), "devnull").ok();
        assertTrue(r.stdout().contains("/dev/null -> /secret"), "the image's symlink is in place: " + r.stdout());
        assertFalse(r.stdout().contains("image-secret"), r.stdout());
        assertEquals(2, r.stdout().lines().filter(l -> l.equals("ret=0 errno=0")).count(),
                "both masked files read empty, as /dev/null: " + r.stdout());

        // The unprotected primitive: a bind of "/dev/null" by path inside the container's root
        // follows the symlink and puts the image's file over the masked path.
        Path target = Files.createFile(rootfs.resolve("masked"));
        Jrun.Result pathBased = host(List.of("unshare", "-m", "--propagation", "private", "chroot", rootfs.toString(),
                "sh", "-c", "mount --bind /dev/null /masked && cat /masked"));
        assertEquals("image-secret", pathBased.stdout().strip(), pathBased.stderr());
        assertEquals("", Files.readString(target));
    }

    // ---- CVE-2025-52565: /dev/console replaced by a symlink to redirect the terminal's mount ----

    /**
     * runc bind-mounted the container's pty on /dev/console by path, before the masked and
     * read-only paths were applied; an image whose /dev/console is a symlink (to
     * /proc/sys/kernel/core_pattern here) turned it into a mount of the pty over a host-affecting
     * procfs file, left writable. The image here has no /dev mount of its own, so its
     * /dev/console is the symlink. jrun resolves /dev/console with no symlink followed: it either
     * refuses, naming /dev/console, or mounts the pty on the symlink itself (openat2 with
     * RESOLVE_NO_SYMLINKS and O_PATH|O_NOFOLLOW gives the link, not its target; what it does
     * today), so that the container's /dev/console is the pty and its core_pattern procfs's.
     * The host's core_pattern is untouched either way, and the image's symlink stays as it was.
     */
    @Test
    void cve2025_52565_aSymlinkedDevConsoleCannotRedirectTheTerminalsMount() throws Exception {
        Path corePattern = Path.of("/proc/sys/kernel/core_pattern");
        String before = Files.readString(corePattern);
        List<String> hostMountsBefore = corePatternMounts();
        String marker = "JRUN_IT_MARKER=" + java.util.UUID.randomUUID();
        Path bundle = HardeningBundles.runcDefault(tmp.resolve("b"),
                List.of("sh", "-c", "stat -c '%F %t' /proc/sys/kernel/core_pattern /dev/console"), c -> {
                    removeMount(c, "/dev");
                    ObjectNode process = (ObjectNode) c.get("process");
                    process.put("terminal", true);
                    ((ArrayNode) process.get("env")).add(marker);
                });
        Path rootfs = bundle.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("dev"));
        Files.createSymbolicLink(rootfs.resolve("dev/console"), corePattern);
        String id = "cve-2025-52565-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        try (ConsoleReceiver receiver = new ConsoleReceiver(tmp.resolve("console.sock"))) {
            Jrun.Result create = jrun().run("create", "--console-socket", receiver.path().toString(), "-b",
                    bundle.toString(), id);
            if (create.exit() != 0) {
                assertTrue(create.stderr().contains("/dev/console"), create.stderr());
            } else {
                // the pty covers the symlink itself, not what it points to
                try (ConsoleReceiver.Pty pty = receiver.receive(java.time.Duration.ofSeconds(30))) {
                    jrun().run("start", id).ok();
                    String out = pty.readToHangUp(java.time.Duration.ofSeconds(30));
                    assertTrue(out.contains("regular empty file 0"), "core_pattern is still procfs's: " + out);
                    assertTrue(out.contains("character special file 88"), "/dev/console is the pty: " + out);
                } finally {
                    jrun().run("delete", "-f", id);
                }
            }
        } finally {
            assertEquals(before, Files.readString(corePattern), "the host's core_pattern changed");
        }
        assertEquals(hostMountsBefore, corePatternMounts(), "something was mounted on the host's core_pattern");
        assertTrue(Files.isSymbolicLink(rootfs.resolve("dev/console")), "the image's file is the image's");
        assertEquals(List.of(), Leftovers.stateEntries(tmp.resolve("root")), "state left behind");
        assertEquals(List.of(), Leftovers.processesWithEnv(marker), "processes left behind");
        assertEquals(List.of(), Leftovers.mountsUnder(tmp), "mounts left behind");

        // The unprotected primitive: a bind on "/dev/console" by path inside the container's root
        // follows the symlink and covers core_pattern of the procfs there (in a private mount
        // namespace that dies with the command).
        Files.writeString(rootfs.resolve("redirected"), "redirected-here\n");
        Jrun.Result pathBased = host(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                "mount -t proc proc " + rootfs + "/proc && chroot " + rootfs
                        + " sh -c 'mount --bind /redirected /dev/console && cat /proc/sys/kernel/core_pattern'"));
        assertEquals("redirected-here", pathBased.stdout().strip(), pathBased.stderr());
        assertEquals(before, Files.readString(corePattern));
        assertEquals(hostMountsBefore, corePatternMounts());
    }

    /** The host's mounts (the test JVM's mount namespace) on or under core_pattern. */
    private static List<String> corePatternMounts() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .filter(l -> l.contains("core_pattern")).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
