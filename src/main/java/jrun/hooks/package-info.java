/**
 * OCI hooks: running the commands of {@code config.json}'s {@code hooks} for one lifecycle
 * phase, each with the container's state JSON on its stdin, a time-out, and an error that
 * names the hook when it fails. How a hook process is started is a seam
 * ({@link jrun.hooks.HookProcessStarter}): {@link jrun.hooks.RuntimeNamespaceStarter} starts it
 * from jrun's own namespaces; hooks that must run in the container's namespaces plug in another.
 */
package jrun.hooks;
