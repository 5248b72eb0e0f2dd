package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Attacks on what jrun itself does on the host for a container (issue 16): files it writes for
 * its caller, fds it hands over, files of the rootfs it reads. Each test plants the attack and
 * checks that the host target is untouched and the container got nothing of the host.
 */
class HostSideEscapeIT {
    @TempDir
    Path tmp;
    // Unique: an id names the container's cgroup /jrun/ID, which is machine-wide, so two
    // runs of the suite at once would share it.
    private final String pidfileLinkId = Sandbox.uniqueId("pidfile-link");
    private final String pidfileExecId = Sandbox.uniqueId("pidfile-exec");
    private final String fdsRunId = Sandbox.uniqueId("fds-run");
    private final String fdsExecId = Sandbox.uniqueId("fds-exec");
    private final String passwdDevId = Sandbox.uniqueId("passwd-dev");
    private final String passwdFifoId = Sandbox.uniqueId("passwd-fifo");
    private final String passwdLinkId = Sandbox.uniqueId("passwd-link");

    private Jrun jrun() {
        return new Jrun(tmp.resolve("root"));
    }

    // ---- --pid-file through a symlink planted in the pid file's directory ----

    /**
     * Whoever can write the pid file's directory plants symlinks at the names jrun writes: the
     * final name, runc's temporary name ({@code .NAME}) and the one jrun used to write
     * ({@code .NAME.tmp}). jrun as root must never write through them: the victims keep their
     * contents, and the pid file ends up a regular file holding the pid.
     */
    @Test
    void aPidFileIsNeverWrittenThroughASymlink() throws Exception {
        Path bundle = Bundles.create(tmp.resolve("b"), List.of("true"));
        Path dir = Files.createDirectory(tmp.resolve("pids"));
        Path finalVictim = victim("final");
        Path runcTempVictim = victim("runc-temp");
        Path oldTempVictim = victim("jrun-temp");
        Path pidFile = dir.resolve("pid");
        Files.createSymbolicLink(pidFile, finalVictim);
        Files.createSymbolicLink(dir.resolve(".pid"), runcTempVictim);
        Files.createSymbolicLink(dir.resolve(".pid.tmp"), oldTempVictim);
        Path execPidFile = dir.resolve("exec-pid");
        Files.createSymbolicLink(execPidFile, finalVictim);
        Files.createSymbolicLink(dir.resolve(".exec-pid.tmp"), oldTempVictim);
        Files.createSymbolicLink(dir.resolve(".exec-pid"), runcTempVictim);
        Path sleeping = Bundles.create(tmp.resolve("s"), List.of("sleep", "60"));
        try {
            jrun().run("create", "-b", bundle.toString(), "--pid-file", pidFile.toString(), pidfileLinkId).ok();
            jrun().run("run", "-d", "-b", sleeping.toString(), pidfileExecId).ok();
            jrun().run("exec", "-d", "--pid-file", execPidFile.toString(), pidfileExecId, "sleep", "60").ok();
            assertUntouched(finalVictim, runcTempVictim, oldTempVictim);
            String pid = Bundles.parse(jrun().run("state", pidfileLinkId).ok().stdout()).path("pid").asString();
            assertFalse(Files.isSymbolicLink(pidFile), "the final name is still the planted symlink");
            assertEquals(pid, Files.readString(pidFile));
            assertFalse(Files.isSymbolicLink(execPidFile), "exec's final name is still the planted symlink");
            assertTrue(Files.readString(execPidFile).matches("[1-9][0-9]*"), Files.readString(execPidFile));
            try (var names = Files.list(dir)) {
                assertEquals(6, names.count(), "a temporary file was left behind");
            }
        } finally {
            jrun().run("delete", "-f", pidfileLinkId);
            jrun().run("delete", "-f", pidfileExecId);
        }
    }

    // ---- --preserve-fds: the range must hold only what the caller passed ----

    /**
     * The caller passes fds 3 and 4 and asks for five: 5..7 are whatever jrun itself has there
     * (the JDK's lib/modules and jrun.jar, opened by the JVM before main, the state lock), each
     * reopenable read-write through /proc/self/fd. The container must see the caller's two and
     * nothing of jrun's, for run and for exec.
     */
    @Test
    void preserveFdsHandsOverOnlyTheCallersFds() throws Exception {
        Path first = Files.writeString(tmp.resolve("passed-3"), "3");
        Path second = Files.writeString(tmp.resolve("passed-4"), "4");
        String listFds = "for f in /proc/self/fd/*; do echo \"${f##*/} $(readlink $f)\"; done";
        Path bundle = Bundles.create(tmp.resolve("b"), List.of("sh", "-c", listFds));
        String redirect = "3<" + first + " 4<" + second;
        assertOnlyTheCallersFds(withFds(redirect, "run", "--preserve-fds", "5", "-b", bundle.toString(), fdsRunId)
                .ok().stdout(), first, second);

        Path sleeping = Bundles.create(tmp.resolve("s"), List.of("sleep", "60"));
        try {
            jrun().run("run", "-d", "-b", sleeping.toString(), fdsExecId).ok();
            assertOnlyTheCallersFds(withFds(redirect, "exec", "--preserve-fds", "5", fdsExecId, "sh", "-c", listFds)
                    .ok().stdout(), first, second);
        } finally {
            jrun().run("delete", "-f", fdsExecId);
        }
    }

    /** jrun started by a shell that opened {@code redirections} first (e.g. {@code 3<file}). */
    private Jrun.Result withFds(String redirections, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("sh", "-c", "exec " + redirections + "; exec \"$@\"", "sh"));
        cmd.addAll(Jrun.launcher());
        cmd.add("--root");
        cmd.add(tmp.resolve("root").toString());
        cmd.addAll(List.of(args));
        return Jrun.exec(cmd, null, 120);
    }

    /**
     * {@code listing}: "N target" per fd a shell in the container globbed; its glob's own
     * directory fd is listed too but closed (an empty target) by the time readlink runs.
     */
    private static void assertOnlyTheCallersFds(String listing, Path first, Path second) {
        java.util.Map<Integer, String> fds = new java.util.TreeMap<>();
        for (String line : listing.strip().split("\n")) {
            String[] nt = line.split(" ", 2);
            fds.put(Integer.parseInt(nt[0]), nt.length > 1 ? nt[1] : "");
        }
        assertEquals(first.toString(), fds.get(3), listing);
        assertEquals(second.toString(), fds.get(4), listing);
        List<String> others = new java.util.ArrayList<>();
        fds.forEach((fd, target) -> {
            if (fd > 4 && !target.isEmpty()) {
                others.add(fd + " " + target);
            }
        });
        assertEquals(List.of(), others, "fds the caller did not pass: " + listing);
    }

    // ---- files jrun reads from the rootfs: /etc/passwd for HOME ----

    /**
     * The image's /etc/passwd is a block device node of a host loop device whose contents name
     * a HOME (the container may not open the device: the device cgroup denies it; jrun, on the
     * host, could). jrun must not read it for the container: HOME falls back to "/".
     */
    @Test
    void aDeviceNodeAtEtcPasswdIsNotReadOnTheHost() throws Exception {
        String loop = attachLoopDevice("host-device-home");
        try {
            Path bundle = homeBundle("dev");
            replaceWithDevice(bundle.resolve("rootfs/etc/passwd"), loop);
            assertEquals("HOME=/", jrun().run("run", "-b", bundle.toString(), passwdDevId).ok().stdout().strip());
        } finally {
            Jrun.exec(List.of("losetup", "-d", loop), null, 30);
        }
    }

    /** A FIFO at /etc/passwd: nobody ever writes it, and run must neither wait for that nor fail. */
    @Test
    void aFifoAtEtcPasswdDoesNotBlockRun() throws Exception {
        Path bundle = homeBundle("fifo");
        Path passwd = bundle.resolve("rootfs/etc/passwd");
        Files.delete(passwd);
        Jrun.exec(List.of("mkfifo", passwd.toString()), null, 30);
        long started = System.nanoTime();
        assertEquals("HOME=/", jrun().run(null, 30, "run", "-b", bundle.toString(), passwdFifoId).ok().stdout().strip());
        assertTrue(System.nanoTime() - started < 15_000_000_000L, "run took too long");
    }

    /** A symlink at /etc/passwd to a host path: resolved inside the rootfs, never on the host. */
    @Test
    void aSymlinkAtEtcPasswdResolvesInsideTheRootfs() throws Exception {
        Path hostFile = Files.writeString(tmp.resolve("host-passwd"), "root:x:0:0:root:/host-symlink-home:/bin/sh\n");
        Path bundle = homeBundle("link");
        Path passwd = bundle.resolve("rootfs/etc/passwd");
        Files.delete(passwd);
        Files.createSymbolicLink(passwd, hostFile);
        assertEquals("HOME=/", jrun().run("run", "-b", bundle.toString(), passwdLinkId).ok().stdout().strip());
    }

    /**
     * exec reads /etc/passwd as the container sees it now, through its root: a tmpfs the
     * container mounted on /etc with its own passwd gives HOME; a device node the container
     * swapped in (as one with CAP_MKNOD can) gives nothing of the host.
     */
    @Test
    void execReadsEtcPasswdThroughTheContainersRootAndNeverADevice() throws Exception {
        String loop = attachLoopDevice("host-device-home");
        Path bundle = homeBundle("exec", c -> {
            Configs.addMount(c, "/etc", "tmpfs", "tmpfs");
            Configs.process(c).putArray("args").add("sleep").add("60");
        });
        String id = Sandbox.uniqueId("passwd-exec");
        try {
            jrun().run("run", "-d", "-b", bundle.toString(), id).ok();
            int pid = Bundles.parse(jrun().run("state", id).ok().stdout()).path("pid").asInt();
            Path etc = Path.of("/proc/" + pid + "/root/etc");
            Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/container-view-home:/bin/sh\n");
            assertEquals("HOME=/container-view-home", printHome(id));
            Files.delete(etc.resolve("passwd"));
            replaceWithDevice(etc.resolve("passwd"), loop);
            assertEquals("HOME=/", printHome(id));
        } finally {
            jrun().run("delete", "-f", id);
            Jrun.exec(List.of("losetup", "-d", loop), null, 30);
        }
    }

    private String printHome(String id) {
        return jrun().run("exec", id, "sh", "-c", "echo HOME=$HOME").ok().stdout().strip();
    }

    /** A bundle whose process prints HOME, which its environment leaves to jrun's passwd lookup. */
    private Path homeBundle(String name, java.util.function.Consumer<ObjectNode> edit) {
        return Bundles.create(tmp.resolve(name), List.of("sh", "-c", "echo HOME=$HOME"), c -> {
            ArrayNode env = (ArrayNode) Configs.process(c).get("env");
            for (int i = env.size() - 1; i >= 0; i--) {
                if (env.get(i).asString().startsWith("HOME=")) {
                    env.remove(i);
                }
            }
            edit.accept(c);
        });
    }

    private Path homeBundle(String name) {
        return homeBundle(name, c -> { });
    }

    /** A loop device over a file that holds a passwd naming {@code home}; its path. */
    private String attachLoopDevice(String home) throws IOException {
        StringBuilder image = new StringBuilder("root:x:0:0:root:/" + home + ":/bin/sh\n");
        while (image.length() < 4096) {
            image.append('\n');
        }
        Path backing = Files.writeString(tmp.resolve("loop-" + home), image);
        Jrun.Result r = Jrun.exec(List.of("losetup", "-f", "--show", backing.toString()), null, 30);
        assertEquals(0, r.exit(), r.stderr());
        return r.stdout().strip();
    }

    private static void replaceWithDevice(Path at, String device) throws IOException {
        Files.deleteIfExists(at);
        long rdev = ((Number) Files.getAttribute(Path.of(device), "unix:rdev")).longValue();
        long major = (rdev >> 8) & 0xfff;
        long minor = (rdev & 0xff) | ((rdev >> 12) & 0xfff00);
        Jrun.Result r = Jrun.exec(List.of("mknod", at.toString(), "b", Long.toString(major), Long.toString(minor)), null, 30);
        assertEquals(0, r.exit(), r.stderr());
    }

    // ---- the /proc race: procfs mounted through a swapped-in symlink, masks on a decoy ----

    /**
     * While jrun creates a container with runc's default masked and read-only paths, /proc in
     * its rootfs is swapped again and again (renameat2 RENAME_EXCHANGE, as a second container
     * sharing the rootfs would) with a symlink to a decoy directory. jrun either refuses (a
     * symlink where procfs goes) or mounts procfs where every mask and read-only path lands on
     * it: whatever directory procfs ends up under, its keys is masked and its sys (host-global
     * kernel/core_pattern among it) is read-only. Non-destructive: nothing is written.
     */
    @Test
    void theProcRaceCannotMoveMasksOffProcfs() throws Exception {
        // busybox's test -w is true for root whatever the mount, so the read-only bind of sys is
        // looked up in mountinfo (which names mount points as they are named now).
        String check = "for d in /proc /decoy /proc-link; do if [ -e $d/self/stat ]; then k=open; [ -c $d/keys ] && k=masked;"
                + " s=rw; grep -q \" $d/sys ro,\" $d/self/mountinfo && s=ro; echo \"$d keys=$k sys=$s\"; fi; done";
        Path bundle = jrun.linux.seccomp.HardeningBundles.runcDefault(tmp.resolve("race"), List.of("sleep", "60"), c -> { });
        Path rootfs = bundle.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("decoy/sys/kernel"));
        Files.createDirectories(rootfs.resolve("proc"));
        Files.createSymbolicLink(rootfs.resolve("proc-link"), Path.of("/decoy"));
        java.util.concurrent.atomic.AtomicBoolean racing = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread racer = Thread.ofPlatform().start(() -> {
            try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                java.lang.foreign.MemorySegment capture = jrun.sys.Native.newCaptureState(arena);
                long a = arena.allocateFrom(rootfs.resolve("proc").toString()).address();
                long b = arena.allocateFrom(rootfs.resolve("proc-link").toString()).address();
                while (!stop.get()) {
                    if (racing.get()) {
                        jrun.sys.Native.syscall(capture, 316 /* renameat2 */, -100, a, -100, b, 2 /* RENAME_EXCHANGE */, 0);
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }
        });
        int created = 0;
        List<String> unsafe = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                String id = Sandbox.uniqueId("proc-race" + i);
                racing.set(true);
                Jrun.Result r = jrun().run("create", "-b", bundle.toString(), id);
                racing.set(false);
                Thread.sleep(10);
                try {
                    if (r.exit() != 0) {
                        assertTrue(r.stderr().contains("symbolic link"), "create failed otherwise: " + r.stderr());
                        continue;
                    }
                    created++;
                    String seen = jrun().run("exec", id, "sh", "-c", check).ok().stdout().strip();
                    assertFalse(seen.isEmpty(), "no procfs anywhere in the container");
                    for (String line : seen.split("\n")) {
                        if (!line.endsWith("keys=masked sys=ro")) {
                            unsafe.add(id + ": " + line);
                        }
                    }
                } finally {
                    jrun().run("delete", "-f", id);
                }
            }
        } finally {
            stop.set(true);
            racer.join();
        }
        assertEquals(List.of(), unsafe, "procfs with its masks or read-only paths missed");
        assertTrue(created > 0, "every create failed: the race was never survived");
    }

    /**
     * The race's end states, without a race: an image whose /proc or /sys is a symlink (here to
     * a directory of its own) gets no procfs or sysfs through it; the create fails naming the
     * mount, as runc's does ("must be mounted on ordinary directory").
     */
    @Test
    void aSymlinkWhereProcfsOrSysfsGoesIsRefused() throws Exception {
        for (String dir : List.of("proc", "sys")) {
            Path bundle = jrun.linux.seccomp.HardeningBundles.runcDefault(tmp.resolve("link-" + dir), List.of("true"), c -> { });
            Path rootfs = bundle.resolve("rootfs");
            Files.createDirectories(rootfs.resolve("decoy"));
            Files.deleteIfExists(rootfs.resolve(dir));
            Files.createSymbolicLink(rootfs.resolve(dir), Path.of("/decoy"));
            Jrun.Result r = jrun().run("run", "-b", bundle.toString(), Sandbox.uniqueId("link-" + dir));
            assertEquals(1, r.exit(), r.stdout() + r.stderr());
            assertTrue(r.stderr().contains("at /" + dir + " (config.json /mounts/")
                    && r.stderr().contains("symbolic link"), r.stderr());
        }
    }

    private Path victim(String name) throws IOException {
        return Files.writeString(tmp.resolve("victim-" + name), "victim " + name + "\n");
    }

    private static void assertUntouched(Path... victims) throws IOException {
        for (Path v : victims) {
            assertTrue(Files.isRegularFile(v, LinkOption.NOFOLLOW_LINKS), v + " was replaced");
            assertEquals("victim " + v.getFileName().toString().substring("victim-".length()) + "\n",
                    Files.readString(v), v + " was written through a symlink");
        }
    }
}
