/**
 * {@code containerd-shim-jrun-v2}: containerd's shim v2 (runtime {@code io.containerd.jrun.v2})
 * with jrun in-process. The {@code start} and {@code delete} sub-commands, the task service over
 * ttrpc ({@link jrun.ttrpc}), events back to containerd, the containers' stdio FIFOs and
 * terminals, and the shim as the subreaper of the containers of its group. None of these classes
 * is loaded by the CLI.
 */
package jrun.shim;
