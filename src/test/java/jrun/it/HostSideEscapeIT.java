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

/**
 * Attacks on what jrun itself does on the host for a container (issue 16): files it writes for
 * its caller, fds it hands over, files of the rootfs it reads. Each test plants the attack and
 * checks that the host target is untouched and the container got nothing of the host.
 */
class HostSideEscapeIT {
    @TempDir
    Path tmp;

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
            jrun().run("create", "-b", bundle.toString(), "--pid-file", pidFile.toString(), "pidfile-link").ok();
            jrun().run("run", "-d", "-b", sleeping.toString(), "pidfile-exec").ok();
            jrun().run("exec", "-d", "--pid-file", execPidFile.toString(), "pidfile-exec", "sleep", "60").ok();
            assertUntouched(finalVictim, runcTempVictim, oldTempVictim);
            String pid = Bundles.parse(jrun().run("state", "pidfile-link").ok().stdout()).path("pid").asString();
            assertFalse(Files.isSymbolicLink(pidFile), "the final name is still the planted symlink");
            assertEquals(pid, Files.readString(pidFile));
            assertFalse(Files.isSymbolicLink(execPidFile), "exec's final name is still the planted symlink");
            assertTrue(Files.readString(execPidFile).matches("[1-9][0-9]*"), Files.readString(execPidFile));
            try (var names = Files.list(dir)) {
                assertEquals(6, names.count(), "a temporary file was left behind");
            }
        } finally {
            jrun().run("delete", "-f", "pidfile-link");
            jrun().run("delete", "-f", "pidfile-exec");
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
        assertOnlyTheCallersFds(withFds(redirect, "run", "--preserve-fds", "5", "-b", bundle.toString(), "fds-run")
                .ok().stdout(), first, second);

        Path sleeping = Bundles.create(tmp.resolve("s"), List.of("sleep", "60"));
        try {
            jrun().run("run", "-d", "-b", sleeping.toString(), "fds-exec").ok();
            assertOnlyTheCallersFds(withFds(redirect, "exec", "--preserve-fds", "5", "fds-exec", "sh", "-c", listFds)
                    .ok().stdout(), first, second);
        } finally {
            jrun().run("delete", "-f", "fds-exec");
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
