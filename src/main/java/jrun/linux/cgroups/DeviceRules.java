package jrun.linux.cgroups;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jrun.base.JrunException;
import jrun.spec.Resources;

/**
 * A container's device rules reduced to what the v1 devices controller holds: a default
 * (allow or deny everything) and a list of exceptions. Applying rules in order follows the
 * kernel's v1 semantics, so that the v2 eBPF filter built from the result ({@link DeviceFilter})
 * allows exactly what v1 would: {@code a} resets everything; a rule of the default's kind
 * takes its access away from the exception for the same device; a rule of the other kind adds
 * an exception. Like runc, it starts from "deny everything" and refuses to punch a hole into a
 * wildcard exception, which v1 would silently ignore.
 *
 * <p>runc then appends its default rules (mknod of any device, /dev/null, /dev/zero, /dev/full,
 * /dev/random, /dev/urandom, /dev/tty, /dev/pts/*, /dev/ptmx, /dev/net/tun). jrun does the same,
 * except that a default rule for a device the config's own rules name exactly is left out: the
 * config's rule decides (runc's order would re-allow /dev/null after a config denied it).
 */
public final class DeviceRules {
    public static final int MKNOD = 1;
    public static final int READ = 2;
    public static final int WRITE = 4;
    public static final int ALL = MKNOD | READ | WRITE;
    public static final long ANY = -1;

    /**
     * One rule: type {@code a}, {@code b} or {@code c}; major and minor, {@link #ANY} for a
     * wildcard; access as {@link #MKNOD}, {@link #READ}, {@link #WRITE} bits.
     */
    public record Rule(boolean allow, char type, long major, long minor, int access) {
        /** The device as v1's files write it: {@code c 1:3 rwm}. */
        public String v1Form() {
            return type + " " + (major == ANY ? "*" : Long.toString(major)) + ":"
                    + (minor == ANY ? "*" : Long.toString(minor)) + " " + accessString(access);
        }

        boolean sameDevice(Rule o) {
            return type == o.type && major == o.major && minor == o.minor;
        }
    }

    /** The reduced state: the default and the exceptions to it (never of type {@code a}). */
    public record Result(boolean defaultAllow, List<Rule> exceptions) {
        public Result {
            exceptions = List.copyOf(exceptions);
        }
    }

    static final List<Rule> DEFAULTS = List.of(
            new Rule(true, 'c', ANY, ANY, MKNOD),
            new Rule(true, 'b', ANY, ANY, MKNOD),
            new Rule(true, 'c', 1, 3, ALL),
            new Rule(true, 'c', 1, 8, ALL),
            new Rule(true, 'c', 1, 7, ALL),
            new Rule(true, 'c', 5, 0, ALL),
            new Rule(true, 'c', 1, 5, ALL),
            new Rule(true, 'c', 1, 9, ALL),
            new Rule(true, 'c', 136, ANY, ALL),
            new Rule(true, 'c', 5, 2, ALL),
            new Rule(true, 'c', 10, 200, ALL));

    private boolean defaultAllow;
    private final Map<String, Rule> exceptions = new LinkedHashMap<>();

    private DeviceRules() {}

    /** The config's rules ({@code linux.resources.devices}) followed by the defaults they leave in place. */
    public static List<Rule> withDefaults(List<Resources.DeviceRule> config) {
        List<Rule> rules = new ArrayList<>();
        for (Resources.DeviceRule d : config) {
            rules.add(fromSpec(d));
        }
        int configured = rules.size();
        for (Rule d : DEFAULTS) {
            if (!named(rules.subList(0, configured), d)) {
                rules.add(d);
            }
        }
        return rules;
    }

    private static boolean named(List<Rule> rules, Rule device) {
        for (Rule r : rules) {
            if (r.type() != 'a' && r.sameDevice(device)) {
                return true;
            }
        }
        return false;
    }

    static Rule fromSpec(Resources.DeviceRule d) {
        char type = d.type() == null || d.type().isEmpty() ? 'a' : d.type().charAt(0);
        long major = d.major() == null ? ANY : d.major();
        long minor = d.minor() == null ? ANY : d.minor();
        return new Rule(d.allow(), type, major, minor, d.access() == null || d.access().isEmpty() ? ALL : access(d.access()));
    }

    /**
     * Reduces the rules in order; throws when a rule would have to punch a hole into a
     * wildcard exception (e.g. deny {@code c 1:3 w} while {@code c *:* rw} is allowed on a
     * deny-by-default cgroup: v1 cannot express it).
     */
    public static Result reduce(List<Rule> rules) {
        DeviceRules e = new DeviceRules();
        for (Rule r : rules) {
            e.apply(r);
        }
        return new Result(e.defaultAllow, List.copyOf(e.exceptions.values()));
    }

    private void apply(Rule r) {
        if (r.type() == 'a') {
            defaultAllow = r.allow();
            exceptions.clear();
            return;
        }
        if (r.allow() == defaultAllow) {
            remove(r);
        } else {
            String key = key(r);
            Rule old = exceptions.get(key);
            int access = r.access() | (old == null ? 0 : old.access());
            exceptions.put(key, new Rule(!defaultAllow, r.type(), r.major(), r.minor(), access));
        }
    }

    private void remove(Rule r) {
        for (Rule wide : List.of(new Rule(false, r.type(), ANY, r.minor(), 0), new Rule(false, r.type(), r.major(), ANY, 0),
                new Rule(false, r.type(), ANY, ANY, 0))) {
            if (wide.sameDevice(r)) {
                continue;
            }
            Rule existing = exceptions.get(key(wide));
            if (existing != null && (existing.access() & r.access()) != 0) {
                throw new JrunException("the device rule \"" + (r.allow() ? "allow " : "deny ") + r.v1Form()
                        + "\" would punch a hole into the wider rule \"" + existing.v1Form()
                        + "\", which the devices controller cannot express");
            }
        }
        String key = key(r);
        Rule old = exceptions.get(key);
        if (old == null) {
            return;
        }
        int left = old.access() & ~r.access();
        if (left == 0) {
            exceptions.remove(key);
        } else {
            exceptions.put(key, new Rule(old.allow(), old.type(), old.major(), old.minor(), left));
        }
    }

    private static String key(Rule r) {
        return r.type() + " " + r.major() + ":" + r.minor();
    }

    static int access(String s) {
        int a = 0;
        for (char c : s.toCharArray()) {
            a |= switch (c) {
                case 'm' -> MKNOD;
                case 'r' -> READ;
                case 'w' -> WRITE;
                default -> throw new IllegalArgumentException("device access \"" + s + "\" is not a combination of r, w and m");
            };
        }
        return a;
    }

    static String accessString(int access) {
        return ((access & READ) != 0 ? "r" : "") + ((access & WRITE) != 0 ? "w" : "") + ((access & MKNOD) != 0 ? "m" : "");
    }

    /** What v1 writes, in order: the default to devices.allow or devices.deny, then each exception. */
    public static List<CgroupWrite> v1Writes(Result result) {
        List<CgroupWrite> out = new ArrayList<>();
        out.add(new CgroupWrite(result.defaultAllow() ? "devices.allow" : "devices.deny", "a", "/devices"));
        for (Rule r : result.exceptions()) {
            out.add(new CgroupWrite(r.allow() ? "devices.allow" : "devices.deny", r.v1Form(), "/devices"));
        }
        return out;
    }
}
