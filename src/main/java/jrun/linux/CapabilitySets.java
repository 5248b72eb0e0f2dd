package jrun.linux;

/**
 * The five capability sets as bit masks (bit N is capability number N). Null in a
 * {@link ProcessPlan} means the config has no {@code capabilities}: the process keeps what
 * init has, as runc does.
 */
public record CapabilitySets(long bounding, long effective, long permitted, long inheritable, long ambient) {}
