package jrun.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import jrun.spec.Linux;
import jrun.spec.ProcessSpec;

/** Plans the container's process from {@code process} (also used for exec's process.json). */
public final class ProcessPlanner {
    private ProcessPlanner() {}

    public static ProcessPlan plan(ProcessSpec p) {
        return plan(p, null, () -> null);
    }

    /**
     * @param memoryPolicy the container's {@code linux.memoryPolicy}, or null
     * @param passwd the container's /etc/passwd, read only when the environment lacks HOME
     */
    public static ProcessPlan plan(ProcessSpec p, Linux.MemoryPolicy memoryPolicy, Supplier<String> passwd) {
        if (p.args().isEmpty()) {
            throw ContainerPlanner.fieldError("/process/args", "the process needs at least one argument");
        }
        String cwd = p.cwd() == null || p.cwd().isEmpty() ? "/" : p.cwd();
        List<ProcessPlan.Limit> limits = new ArrayList<>();
        for (int i = 0; i < p.rlimits().size(); i++) {
            ProcessSpec.Rlimit r = p.rlimits().get(i);
            int resource = Rlimits.resource(r.type());
            if (resource < 0) {
                throw ContainerPlanner.fieldError("/process/rlimits/" + i + "/type",
                        "\"" + r.type() + "\" is not one of " + String.join(", ", Rlimits.names()));
            }
            limits.add(new ProcessPlan.Limit(r.type(), resource, r.soft(), r.hard()));
        }
        List<String> env = withHome(p.env(), p.user().uid(), passwd);
        return new ProcessPlan(p.args(), env, cwd, execCandidates(p.args().get(0), p.env()), p.user().uid(),
                p.user().gid(), p.user().additionalGids(), p.user().umask(), List.copyOf(limits),
                p.noNewPrivileges(), p.oomScoreAdj(), capabilities(p.capabilities()), terminal(p),
                SchedulingPlanner.plan(p, memoryPolicy));
    }

    private static ProcessPlan.Terminal terminal(ProcessSpec p) {
        if (!p.terminal()) {
            return null;
        }
        ProcessSpec.ConsoleSize size = p.consoleSize();
        return size == null ? new ProcessPlan.Terminal(0, 0)
                : new ProcessPlan.Terminal((int) size.height(), (int) size.width());
    }

    /**
     * runc's rule: a process whose environment has no HOME gets the home directory of its uid
     * from the container's /etc/passwd, or "/".
     */
    static List<String> withHome(List<String> env, long uid, Supplier<String> passwd) {
        for (String e : env) {
            if (e.startsWith("HOME=")) {
                return env;
            }
        }
        List<String> out = new ArrayList<>(env);
        out.add("HOME=" + homeOf(passwd.get(), uid));
        return List.copyOf(out);
    }

    static String homeOf(String passwd, long uid) {
        if (passwd != null) {
            for (String line : passwd.split("\n")) {
                String[] f = line.split(":", -1);
                if (f.length >= 7 && f[2].equals(Long.toString(uid)) && !f[5].isEmpty()) {
                    return f[5];
                }
            }
        }
        return "/";
    }

    /**
     * Where args[0] is looked for inside the container: itself when it has a slash, else each
     * directory of the process's PATH (runc's default PATH when it sets none).
     */
    static List<String> execCandidates(String arg0, List<String> env) {
        if (arg0.contains("/")) {
            return List.of(arg0);
        }
        String path = ContainerPlanner.DEFAULT_PATH;
        for (String e : env) {
            if (e.startsWith("PATH=")) {
                path = e.substring(5);
            }
        }
        List<String> out = new ArrayList<>();
        for (String dir : path.split(":")) {
            out.add((dir.isEmpty() ? "." : dir) + "/" + arg0);
        }
        return List.copyOf(out);
    }

    static CapabilitySets capabilities(ProcessSpec.Capabilities c) {
        if (c == null) {
            return null;
        }
        return new CapabilitySets(mask(c.bounding()), mask(c.effective()),
                mask(c.permitted()), mask(c.inheritable()), mask(c.ambient()));
    }

    private static long mask(List<String> names) {
        long m = 0;
        for (int i = 0; i < names.size(); i++) {
            int n = Capabilities.number(names.get(i));
            // Unknown names are left out (with a warning from validation), as the runtime-spec
            // asks; so are ones this kernel does not have.
            if (n >= 0 && n <= Capabilities.lastCap()) {
                m |= 1L << n;
            }
        }
        return m;
    }
}
