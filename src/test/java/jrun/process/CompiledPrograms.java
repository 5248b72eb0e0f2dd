package jrun.process;

import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jrun.json.JsonReader;
import jrun.linux.ContainerPlan;
import jrun.linux.ContainerPlanner;
import jrun.linux.HostFacts;
import jrun.linux.cgroups.CgroupLayout;
import jrun.linux.seccomp.SeccompFilter;
import jrun.spec.SpecReader;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The init and exec programs compiled from a config as create and exec compile them, without
 * root and without forking: on a host where only the bundle's rootfs exists, with fixed fd
 * numbers for the pipes (10-13), the exec fifo (20) and exec's root (30).
 */
final class CompiledPrograms {
    static final Path BUNDLE = Path.of("/bundles/b");
    static final ChildLauncher.Pipes PIPES = new ChildLauncher.Pipes(10, 11, 12, 13);
    static final int FIFO_FD = 20;
    static final int EXEC_ROOT_FD = 30;
    /** Allows everything: its content does not matter to where it is loaded. */
    static final SeccompFilter ALLOW_ALL = new SeccompFilter(new byte[] {6, 0, 0, 0, 0, 0, (byte) 0xff, 0x7f}, 0,
            null, null);

    private static final HostFacts HOST = new HostFacts() {
        @Override
        public boolean isDirectory(String hostPath) {
            return hostPath.equals("/bundles/b/rootfs") || hostPath.equals("/srv/data");
        }

        @Override
        public boolean exists(String hostPath) {
            return isDirectory(hostPath);
        }

        @Override
        public String readRootfsFile(String rootfs, String path) {
            return null;
        }

        @Override
        public CgroupLayout cgroupLayout() {
            return new CgroupLayout(true, List.of(), null);
        }
    };

    private CompiledPrograms() {}

    static ContainerPlan plan(String configJson) {
        try {
            return new ContainerPlanner(HOST).plan(SpecReader.read(JsonReader.read(configJson.getBytes(StandardCharsets.UTF_8))),
                    BUNDLE, false);
        } catch (JsonReader.SyntaxError e) {
            throw new AssertionError(e);
        }
    }

    /** The container's init program, with {@code filter} as its seccomp filter (or none). */
    static Program init(Arena arena, ContainerPlan plan, SeccompFilter filter) {
        InitProgram.Options options = new InitProgram.Options(FIFO_FD, new ProcessSetup.Launch(0, filter, -1, List.of(), -1),
                false, InitProgram.MountHandover.NONE, new int[0]);
        return InitProgram.compile(arena, PIPES, plan, options, List.of());
    }

    /** An exec into the container, joining {@code joins} in that order. */
    static Program exec(Arena arena, ContainerPlan plan, SeccompFilter filter, List<ExecProgram.Join> joins) {
        return exec(arena, plan, filter, joins, false);
    }

    /** {@code hideMappedFiles}: a process of the container could reach the child (PtraceReach). */
    static Program exec(Arena arena, ContainerPlan plan, SeccompFilter filter, List<ExecProgram.Join> joins,
                        boolean hideMappedFiles) {
        ExecProgram.Options options = new ExecProgram.Options(joins, EXEC_ROOT_FD,
                new ProcessSetup.Launch(0, filter, -1, List.of(), -1), new int[0], "config.json", false, List.of(),
                hideMappedFiles);
        return ExecProgram.compile(arena, PIPES, plan.process(), options);
    }

    /** The ops of {@code program} as {@link ProgramListing} prints them, without their index. */
    static List<String> calls(Program program) {
        List<String> calls = new ArrayList<>();
        for (ProgramListing.Line line : ProgramListing.lines(program)) {
            calls.add(line.text());
        }
        return calls;
    }

    /** The index of the first call from {@code from} on that contains {@code part}. */
    static int find(List<String> calls, int from, String prefix) {
        for (int i = from; i < calls.size(); i++) {
            if (calls.get(i).contains(prefix)) {
                return i;
            }
        }
        return -1;
    }

    static int find(List<String> calls, String prefix) {
        int at = find(calls, 0, prefix);
        if (at < 0) {
            fail("no call \"" + prefix + "\" in\n" + String.join("\n", calls));
        }
        return at;
    }

    /** Each prefix names a call that comes after the previous one's; returns their indexes. */
    static int[] assertInOrder(List<String> calls, String... prefixes) {
        int[] at = new int[prefixes.length];
        int from = 0;
        for (int i = 0; i < prefixes.length; i++) {
            at[i] = find(calls, from, prefixes[i]);
            if (at[i] < 0) {
                fail("no call \"" + prefixes[i] + "\" after " + (i == 0 ? "the start" : "\"" + prefixes[i - 1] + "\"")
                        + " in\n" + String.join("\n", calls));
            }
            from = at[i] + 1;
        }
        return at;
    }
}
