package jrun.process;

import java.io.IOException;
import java.nio.file.Path;
import jrun.base.JrunException;
import jrun.linux.ContainerPlan;
import jrun.linux.NamespaceKind;
import jrun.linux.net.NetDeviceMover;
import jrun.rootless.RootlessMode;
import jrun.spec.Spec;
import jrun.sys.Identity;
import jrun.sys.ProcFiles;

/**
 * What the parent writes for a forked child that the child cannot do for itself: its id maps,
 * its oom_score_adj, the network devices moved into its namespace.
 */
final class ParentSetup {
    private ParentSetup() {}

    /**
     * What only the parent can do between the child's hello and its go.
     *
     * @param rootless with {@code me}, how the id maps are written (see {@link UserNamespaceMaps})
     */
    static void prepare(ChildLauncher.Child child, Spec spec, ContainerPlan plan, RootlessMode rootless,
                               Identity me) {
        Path proc = Path.of("/proc", Integer.toString(child.pid()));
        if (plan.creates(NamespaceKind.USER)) {
            UserNamespaceMaps.write(child.pid(), spec.linux(), rootless, me);
        }
        Long oom = plan.process().oomScoreAdj();
        if (oom != null) {
            writeProcFile(proc.resolve("oom_score_adj"), Long.toString(oom), "/process/oomScoreAdj");
        }
        if (!plan.netDevices().isEmpty()) {
            // Before the hooks, as runc: a prestart hook finds the interfaces in place.
            ContainerPlan.NamespaceJoin joined = plan.join(NamespaceKind.NETWORK);
            NetDeviceMover.move(plan.netDevices(), joined != null ? joined.path() : proc.resolve("ns/net").toString());
        }
    }

    /**
     * Writes a /proc file of the child, refused unless it is on procfs (ProcFiles.write); errors
     * name the config field the content came from.
     */
    static void writeProcFile(Path file, String content, String pointer) {
        try {
            ProcFiles.write(file, content);
        } catch (IOException e) {
            throw new JrunException("config.json: " + pointer + ": cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
