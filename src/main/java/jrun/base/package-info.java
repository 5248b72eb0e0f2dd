/**
 * The bottom layer, importing nothing of jrun's: the errors every layer throws
 * ({@link jrun.base.JrunException} with a complete message, {@link jrun.base.CliException} with
 * its exit code, {@link jrun.base.ExitCodes}), runc's log lines ({@link jrun.base.Log}),
 * {@code JRUN_TIMING} marks, jrun's few environment variables and its version.
 *
 * <p>The layers, bottom first; each package uses only those below it (jrun.LayeringTest
 * fails on an edge up the list, naming the file and line):
 * base &lt; sys &lt; json &lt; spec &lt; linux &lt; validation &lt; state &lt; hooks &lt; process
 * &lt; container &lt; features &lt; cli.
 */
package jrun.base;
