/**
 * The Linux side of a container, in two halves. This package plans: it turns the spec into a
 * {@link jrun.linux.ContainerPlan} (namespaces, mounts and their options, devices,
 * capabilities, sysctls, rlimits, signals) as pure logic that unit tests check without root,
 * reading the host only through {@link jrun.linux.HostProbe} and the cgroup layout ({@code cgroups.CgroupLayout}).
 * Its subpackages act on the host from jrun's own process: {@code cgroups} writes the cgroup
 * files (v1, v2, hybrid; the v2 device filter as eBPF), {@code seccomp} binds libseccomp through
 * FFM and compiles the filter, {@code lsm} plans the AppArmor and SELinux labels against the LSMs the host
 * runs, {@code net} moves network devices
 * over rtnetlink.
 */
package jrun.linux;
