/**
 * The verbs of a container's lifecycle, one class each: {@link jrun.container.ContainerCreator}
 * (create), {@link jrun.container.ContainerStarter} (start), {@link jrun.container.ContainerRunner}
 * (run), {@link jrun.container.ContainerExecutor} (exec), {@link jrun.container.ContainerKiller}
 * (kill), {@link jrun.container.ContainerDeleter} (delete), {@link jrun.container.ContainerPauser}
 * (pause), {@link jrun.container.ContainerResumer} (resume), {@link jrun.container.ContainerUpdater}
 * (update), {@link jrun.container.ContainerEvents} (events), {@link jrun.container.ContainerProcesses}
 * (ps), {@link jrun.container.ContainerInspector} (state) and {@link jrun.container.ContainerLister}
 * (list); {@link jrun.container.Lifecycle} is
 * the one table of which status allows which verb, with runc's error texts;
 * {@link jrun.container.StatusProbe} reads a container's live status.
 *
 * <p>Callable in-process, from a long-lived JVM with many containers: nothing here exits the
 * JVM or prints; errors are {@link jrun.base.JrunException}s with runc's messages, results are
 * values, and no state is kept in statics. The command line ({@code jrun.cli}) only parses
 * arguments, calls a verb and prints its result.
 */
package jrun.container;
