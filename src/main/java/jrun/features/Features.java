package jrun.features;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jrun.base.JrunException;
import jrun.base.Version;
import jrun.hooks.HookPhase;
import jrun.linux.Capabilities;
import jrun.linux.MountOptions;
import jrun.linux.NamespaceKind;
import jrun.linux.SchedulingPlanner;
import jrun.linux.seccomp.Libseccomp;
import jrun.linux.seccomp.SeccompFeatures;

/**
 * runtime-spec's Features structure (features.md, {@code specs-go/features}), as far as
 * runtime-spec {@value jrun.base.Version#SPEC_VERSION} defines it. Null means "unknown" and is not
 * written; lists are never empty.
 *
 * @param ociVersionMin the oldest config {@code ociVersion} jrun runs
 * @param ociVersionMax the spec version jrun's model implements
 * @param hooks the hook events jrun runs
 * @param mountOptions the mount options jrun gives a meaning (not filesystem data)
 */
public record Features(String ociVersionMin, String ociVersionMax, List<String> hooks, List<String> mountOptions,
                       Linux linux, Map<String, String> annotations) {

    /** The first runtime-spec release; jrun refuses only other major versions (SemanticChecks). */
    static final String OCI_VERSION_MIN = "1.0.0";
    static final String VERSION_ANNOTATION = "dev.jrun.version";
    /** runc's key, which callers read to decide whether {@code checkpoint} can work. */
    static final String CHECKPOINT_ANNOTATION = "org.opencontainers.runc.checkpoint.enabled";
    static final String LIBSECCOMP_ANNOTATION = "io.github.seccomp.libseccomp.version";

    /**
     * Each {@code enabled} object is a Go {@code *bool}: null leaves the object out.
     * {@code memoryPolicy} and {@code netDevices} are runtime-spec 1.3's.
     */
    public record Linux(List<String> namespaces, List<String> capabilities, Cgroup cgroup, Seccomp seccomp,
                        Boolean apparmor, Boolean selinux, Boolean intelRdt, MemoryPolicy memoryPolicy,
                        Boolean idmapMounts, Boolean netDevices) {}

    /** The set_mempolicy modes and flags jrun applies. */
    public record MemoryPolicy(List<String> modes, List<String> flags) {}

    public record Cgroup(Boolean v1, Boolean v2, Boolean systemd, Boolean systemdUser, Boolean rdma) {}

    public record Seccomp(Boolean enabled, List<String> actions, List<String> operators, List<String> archs,
                          List<String> knownFlags, List<String> supportedFlags) {}

    /**
     * What this build supports, read from the tables the code itself works from, so the answer
     * cannot drift from the code. Name lists are sorted as runc sorts them; capabilities stay in
     * number order, as runc prints them. Only {@code supportedFlags} and the libseccomp version
     * depend on the host, as in runc.
     */
    public static Features thisBuild() {
        List<String> namespaces = new ArrayList<>();
        for (NamespaceKind k : NamespaceKind.values()) {
            namespaces.add(k.specName());
        }
        List<String> hooks = new ArrayList<>();
        for (HookPhase p : HookPhase.values()) {
            hooks.add(p.specName());
        }
        Seccomp seccomp = new Seccomp(true, sorted(SeccompFeatures.actions()), sorted(SeccompFeatures.operators()),
                sorted(SeccompFeatures.architectures()), sorted(SeccompFeatures.knownFlags()),
                sorted(SeccompFeatures.supportedFlags()));
        Linux linux = new Linux(sorted(namespaces), Capabilities.all(),
                // Cgroups.manager drives v1 (and hybrid) hierarchies with CgroupV1 and unified ones
                // with CgroupV2, both writing rdma.max (V1Files.rdma); --systemd-cgroup is refused.
                new Cgroup(true, true, false, false, true),
                seccomp,
                // LsmPlanner applies an AppArmor profile and SELinux labels on hosts that run
                // those LSMs (and refuses them elsewhere): the support is there, whatever the host.
                true, true,
                // linux.intelRdt is refused (ContainerPlanner.intelRdt).
                false,
                new MemoryPolicy(sorted(SchedulingPlanner.memoryPolicyModes()),
                        sorted(SchedulingPlanner.memoryPolicyFlags())),
                // Idmapped bind mounts are made by IdmappedMounts.
                true,
                // NetDeviceMover moves linux.netDevices into the container's network namespace.
                true);
        return new Features(OCI_VERSION_MIN, Version.SPEC_VERSION, List.copyOf(hooks), MountOptions.recognized(), linux,
                buildAnnotations());
    }

    /** Go marshals a map with its keys sorted; a TreeMap keeps that order for the writer. */
    private static Map<String, String> buildAnnotations() {
        Map<String, String> a = new TreeMap<>();
        a.put(VERSION_ANNOTATION, Version.VERSION);
        a.put(CHECKPOINT_ANNOTATION, "false"); // `jrun checkpoint` is not implemented
        try {
            a.put(LIBSECCOMP_ANNOTATION, Libseccomp.load().version());
        } catch (JrunException e) {
            // No libseccomp on this host: a config with linux.seccomp would be refused, and
            // there is no version to report.
        }
        return a;
    }

    private static List<String> sorted(List<String> names) {
        return names.stream().sorted().toList();
    }
}
