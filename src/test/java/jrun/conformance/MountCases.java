package jrun.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jrun.it.Configs;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * config.md#root and #mounts, config-linux.md's rootfs propagation, masked and read-only
 * paths: what /proc/self/mountinfo and the file system show inside the container.
 */
final class MountCases {
    private static final String MOUNTS = "config.md#mounts";
    private static final String OPTIONS = "config.md#linux-mount-options";

    private MountCases() {}

    static List<SpecCase> cases() {
        List<SpecCase> cases = new ArrayList<>(List.of(
                new SpecCase("root-readonly", "config.md#root",
                        "`readonly` (bool, OPTIONAL) If true then the root filesystem MUST be read-only inside the container, defaults to false.",
                        run -> {
                            String out = run.inside("touch /file-in-root 2>&1 || echo refused; cat /proc/self/mountinfo",
                                    config -> ((ObjectNode) config.get("root")).put("readonly", true));
                            Expect.contains(out, "refused", "writing into the root");
                            Expect.that(MountInfo.top(out, "/").hasOption("ro"), "/ is not mounted ro: " + MountInfo.top(out, "/"));
                        }),
                new SpecCase("root-writable-by-default", "config.md#root",
                        "`readonly` (bool, OPTIONAL) If true then the root filesystem MUST be read-only inside the container, defaults to false.",
                        run -> Expect.equal("written\n", run.inside("echo written > /file-in-root && cat /file-in-root",
                                config -> ((ObjectNode) config.get("root")).remove("readonly")), "a file written into the root")),
                new SpecCase("mounts-in-order", MOUNTS,
                        "The runtime MUST mount entries in the listed order.",
                        run -> {
                            // the second tmpfs on /mnt hides the first; a bind of it inside the first needs the first
                            String out = run.inside("cat /proc/self/mountinfo", config -> {
                                Configs.addMount(config, "/mnt", "tmpfs", "first", "size=1m");
                                Configs.addMount(config, "/mnt", "tmpfs", "second", "size=2m");
                            });
                            List<String> sizes = MountInfo.parse(out).stream().filter(m -> m.mountPoint().equals("/mnt"))
                                    .map(m -> m.superOptions().stream().filter(o -> o.startsWith("size=")).findFirst().orElse("?"))
                                    .toList();
                            Expect.equal(List.of("size=1024k", "size=2048k"), sizes, "the tmpfs mounts on /mnt, in mount order");
                        }),
                new SpecCase("mount-relative-destination", MOUNTS,
                        "For compatibility with old tools and configurations, it MAY be a relative path, in which case it MUST be interpreted as relative to \"/\".",
                        run -> Expect.equal("tmpfs", MountInfo.top(run.inside("cat /proc/self/mountinfo",
                                config -> Configs.addMount(config, "mnt", "tmpfs", "tmpfs")), "/mnt").fsType(), "type at /mnt")),
                new SpecCase("mount-bind", OPTIONS,
                        "`bind` | MUST | Bind mount",
                        run -> {
                            Path source = Files.createDirectories(run.dir().resolve("bind-source"));
                            Files.writeString(source.resolve("file"), "from the host\n");
                            Expect.equal("from the host\n", run.inside("cat /mnt/file",
                                    config -> Configs.addMount(config, "/mnt", "bind", source.toString(), "bind")), "/mnt/file");
                        }),
                new SpecCase("mount-rbind-recursive", OPTIONS,
                        "`rbind` | MUST | Recursive bind mount",
                        run -> {
                            Path source = SharedHostDir.withSubmount(run, "rbind-source");
                            MountInfo sub = MountInfo.top(run.inside("cat /proc/self/mountinfo",
                                    config -> Configs.addMount(config, "/mnt", "bind", source.toString(), "rbind")), "/mnt/sub");
                            Expect.equal("tmpfs", sub.fsType(), "the source's submount at /mnt/sub");
                        }),
                new SpecCase("mount-bind-ro", OPTIONS,
                        "`ro` | MUST | (mount(8)'s ro: mount the filesystem read-only)",
                        run -> {
                            Path source = Files.createDirectories(run.dir().resolve("ro-source"));
                            String out = run.inside("touch /mnt/x 2>/dev/null || echo refused; cat /proc/self/mountinfo",
                                    config -> Configs.addMount(config, "/mnt", "bind", source.toString(), "rbind", "ro"));
                            Expect.contains(out, "refused", "writing into the read-only bind");
                            Expect.that(MountInfo.top(out, "/mnt").mountOptions().contains("ro"), "/mnt: " + MountInfo.top(out, "/mnt"));
                            Expect.that(!Files.exists(source.resolve("x")), "the file was created on the host");
                        }),
                new SpecCase("mount-rro-recursive", OPTIONS,
                        "`rro` | SHOULD | Recursive `ro`",
                        run -> {
                            Path source = SharedHostDir.withSubmount(run, "rro-source");
                            String out = run.inside("touch /mnt/sub/x 2>/dev/null || echo refused; cat /proc/self/mountinfo",
                                    config -> Configs.addMount(config, "/mnt", "bind", source.toString(), "rbind", "rro"));
                            Expect.contains(out, "refused", "writing into the submount of an rro bind");
                            Expect.that(MountInfo.top(out, "/mnt/sub").mountOptions().contains("ro"), "/mnt/sub: " + MountInfo.top(out, "/mnt/sub"));
                        }),
                new SpecCase("mount-filesystem-specific-option", OPTIONS,
                        "Runtimes SHOULD treat unknown options as filesystem-specific ones",
                        run -> Expect.equal("700\n", run.inside("stat -c %a /mnt",
                                config -> Configs.addMount(config, "/mnt", "tmpfs", "tmpfs", "mode=700")), "mode of the tmpfs root")),
                new SpecCase("mount-propagation-shared", OPTIONS,
                        "`shared` | MUST | (mount(8)'s --make-shared)",
                        run -> expectPropagation(run, "shared", "shared")),
                new SpecCase("mount-propagation-private", OPTIONS,
                        "`private` | MUST | Bind mount propagation",
                        run -> expectPropagation(run, "private", "private")),
                new SpecCase("mount-propagation-unbindable", OPTIONS,
                        "`unbindable` | MUST | Bind mount propagation",
                        run -> expectPropagation(run, "unbindable", "unbindable")),
                new SpecCase("mount-propagation-rslave", OPTIONS,
                        "`rslave` | MUST | Bind mount propagation",
                        run -> {
                            // a bind of a shared host mount, made a slave: it receives the host's mounts
                            Path shared = SharedHostDir.make(run, "rslave-source");
                            Container c = run.create(run.bundle("cat /proc/self/mountinfo; echo ready; "
                                    + "while [ ! -e /mnt/later/marker ]; do sleep 0.1; done; echo saw-host-mount",
                                    config -> Configs.addMount(config, "/mnt", "bind", shared.toString(), "rbind", "rslave")));
                            c.start();
                            c.awaitOutput("ready");
                            Expect.equal("slave", MountInfo.top(c.stdout(), "/mnt").propagation(), "propagation of /mnt");
                            SharedHostDir.mountWithMarker(shared.resolve("later"));
                            c.awaitOutput("saw-host-mount");
                        }),
                new SpecCase("masked-path-file", "config-linux.md#masked-paths",
                        "`maskedPaths` (array of strings, OPTIONAL) will mask over the provided paths inside the container so that they cannot be read.",
                        run -> Expect.equal("[]\n", run.inside("echo \"[$(head -c 100 /proc/kcore 2>/dev/null)]\"", config -> masked(config, "/proc/kcore")),
                                "what /proc/kcore reads")),
                new SpecCase("masked-path-directory", "config-linux.md#masked-paths",
                        "`maskedPaths` (array of strings, OPTIONAL) will mask over the provided paths inside the container so that they cannot be read.",
                        run -> Expect.equal("[]\n", run.inside("echo \"[$(ls /sys/firmware 2>/dev/null)]\"", config -> masked(config, "/sys/firmware")),
                                "what ls /sys/firmware lists")),
                new SpecCase("readonly-path", "config-linux.md#readonly-paths",
                        "`readonlyPaths` (array of strings, OPTIONAL) will set the provided paths as readonly inside the container.",
                        run -> {
                            String out = run.inside("cat /proc/self/mountinfo; echo 1 > /proc/sys/kernel/ns_last_pid 2>/dev/null || echo refused",
                                    config -> {
                                        ((ObjectNode) config.get("root")).put("readonly", false);
                                        ArrayNode ro = Configs.linux(config).putArray("readonlyPaths");
                                        ro.add("/proc/sys");
                                    });
                            Expect.contains(out, "refused", "writing to /proc/sys");
                            Expect.that(MountInfo.top(out, "/proc/sys").mountOptions().contains("ro"), "/proc/sys: " + MountInfo.top(out, "/proc/sys"));
                        })));
        for (String flag : List.of("nosuid", "nodev", "noexec", "noatime", "nodiratime", "strictatime", "sync", "dirsync", "nosymfollow")) {
            cases.add(new SpecCase("mount-option-" + flag, OPTIONS,
                    "`" + flag + "` | " + (flag.equals("nosymfollow") ? "SHOULD" : "MUST") + " | (mount(8)'s " + flag + ")",
                    run -> {
                        MountInfo m = MountInfo.top(run.inside("cat /proc/self/mountinfo",
                                config -> Configs.addMount(config, "/mnt", "tmpfs", "tmpfs", flag)), "/mnt");
                        // strictatime is the absence of relatime and noatime
                        boolean ok = flag.equals("strictatime") ? !m.hasOption("relatime") && !m.hasOption("noatime") : m.hasOption(flag);
                        Expect.that(ok, "/mnt with " + flag + ": " + m);
                    }));
        }
        for (String propagation : List.of("shared", "slave", "private", "unbindable")) {
            cases.add(new SpecCase("rootfs-propagation-" + propagation, "config-linux.md#rootfs-mount-propagation",
                    "`rootfsPropagation` (string, OPTIONAL) sets the rootfs's mount propagation. Its value is either `shared`, `slave`, `private` or `unbindable`.",
                    run -> RootfsPropagation.check(run, propagation)));
        }
        return cases;
    }

    private static void masked(ObjectNode config, String path) {
        Configs.linux(config).putArray("maskedPaths").add(path);
    }

    /** A tmpfs at /mnt with {@code option}; mountinfo shows {@code expected}. */
    private static void expectPropagation(CaseRun run, String option, String expected) throws InterruptedException {
        MountInfo m = MountInfo.top(run.inside("cat /proc/self/mountinfo",
                config -> Configs.addMount(config, "/mnt", "tmpfs", "tmpfs", option)), "/mnt");
        Expect.equal(expected, m.propagation(), "propagation of /mnt with " + option + " (" + m.optionalFields() + ")");
    }
}
