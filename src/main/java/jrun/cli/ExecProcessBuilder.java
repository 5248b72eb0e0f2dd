package jrun.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jrun.base.CliException;
import jrun.spec.ProcessSpec;

/**
 * The process {@code exec} runs when no {@code --process} file is given, as runc builds it: the
 * container's own {@code process} with the command line and flags laid over it.
 */
final class ExecProcessBuilder {
    /** What the exec command line says; null or empty fields leave the container's value. */
    record Overrides(List<String> args, List<String> env, String cwd, String user, List<String> additionalGids,
                     List<String> caps, boolean tty, boolean noNewPrivs, String apparmor, String processLabel) {}

    private ExecProcessBuilder() {}

    static ProcessSpec build(ProcessSpec base, Overrides o) {
        if (o.args().isEmpty()) {
            throw new CliException("exec: no command given: jrun exec [flags] <container-id> <command> [args...]");
        }
        ProcessSpec.User user = user(base.user(), o.user(), o.additionalGids());
        ProcessSpec.Capabilities caps = capabilities(base.capabilities(), o.caps());
        return new ProcessSpec(o.tty(), base.consoleSize(), user, o.args(), base.commandLine(), env(base.env(), o.env()),
                o.cwd() == null || o.cwd().isEmpty() ? base.cwd() : o.cwd(), caps, base.rlimits(),
                base.noNewPrivileges() || o.noNewPrivs(),
                o.apparmor() == null || o.apparmor().isEmpty() ? base.apparmorProfile() : o.apparmor(),
                base.oomScoreAdj(), base.scheduler(),
                o.processLabel() == null || o.processLabel().isEmpty() ? base.selinuxLabel() : o.processLabel(),
                base.ioPriority(), base.execCPUAffinity(), base.extra());
    }

    /** {@code -e KEY=VALUE} replaces the container's KEY, or is appended. */
    static List<String> env(List<String> base, List<String> extra) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String e : base) {
            byKey.put(key(e), e);
        }
        for (String e : extra) {
            if (!e.contains("=")) {
                throw new CliException("exec: --env " + e + ": expected KEY=VALUE");
            }
            byKey.put(key(e), e);
        }
        return List.copyOf(byKey.values());
    }

    private static String key(String e) {
        int eq = e.indexOf('=');
        return eq < 0 ? e : e.substring(0, eq);
    }

    /** {@code -u uid[:gid]} (numbers: names would have to be looked up in the image, which runc refuses too). */
    static ProcessSpec.User user(ProcessSpec.User base, String spec, List<String> gids) {
        long uid = base.uid();
        long gid = base.gid();
        if (spec != null && !spec.isEmpty()) {
            String[] parts = spec.split(":", 2);
            uid = number(parts[0], "--user");
            gid = parts.length == 2 ? number(parts[1], "--user") : 0;
        }
        List<Long> additional = new ArrayList<>(base.additionalGids());
        for (String g : gids) {
            additional.add(number(g, "--additional-gids"));
        }
        return new ProcessSpec.User(uid, gid, base.umask(), additional, base.username(), base.extra());
    }

    private static long number(String s, String flag) {
        try {
            long n = Long.parseLong(s);
            if (n < 0 || n > 0xffffffffL) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new CliException("exec: " + flag + " " + s + ": expected a numeric id (uid[:gid])");
        }
    }

    /**
     * runc's {@code --cap}: added to the bounding, effective and permitted sets, and to the
     * ambient one only when the inheritable set exists (ambient needs inheritable).
     */
    static ProcessSpec.Capabilities capabilities(ProcessSpec.Capabilities base, List<String> add) {
        if (add.isEmpty()) {
            return base;
        }
        ProcessSpec.Capabilities b = base == null
                ? new ProcessSpec.Capabilities(List.of(), List.of(), List.of(), List.of(), List.of(), Map.of()) : base;
        return new ProcessSpec.Capabilities(plus(b.bounding(), add), plus(b.effective(), add), b.inheritable(),
                plus(b.permitted(), add), b.inheritable().isEmpty() ? b.ambient() : plus(b.ambient(), add), b.extra());
    }

    private static List<String> plus(List<String> base, List<String> add) {
        List<String> out = new ArrayList<>(base == null ? List.of() : base);
        for (String c : add) {
            String name = c.startsWith("CAP_") ? c : "CAP_" + c.toUpperCase();
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return List.copyOf(out);
    }
}
