package jrun.process;

import java.nio.charset.StandardCharsets;
import jrun.base.JrunException;
import jrun.sys.Errno;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;
import jrun.sys.UnixSocket;

/**
 * jrun's side of a container process's terminal: the pty master the child made in the
 * container's devpts, taken from it with pidfd_getfd, then either sent over the caller's
 * {@code --console-socket} (SCM_RIGHTS, as runc sends it: conmon and containerd's shim
 * receive it) or kept for {@link TerminalRelay} when jrun runs in the foreground.
 */
public final class Console {
    private Console() {}

    /**
     * runc's rules: a terminal needs somewhere to go, and a console socket needs a terminal.
     */
    public static void checkUsage(boolean terminal, String consoleSocket, boolean detached) {
        boolean socket = consoleSocket != null && !consoleSocket.isEmpty();
        if (terminal && detached && !socket) {
            throw new JrunException("cannot allocate tty if jrun will detach without setting console socket");
        }
        if (!terminal && socket) {
            throw new JrunException("cannot use console socket if jrun will not detach or allocate tty");
        }
    }

    /** Connects to the console socket up front, so that a wrong path fails before any process exists. */
    public static int connect(String consoleSocket) {
        int sock = UnixSocket.connect(consoleSocket);
        if (sock < 0) {
            throw new JrunException("--console-socket: cannot connect to " + consoleSocket + ": "
                    + Errno.describe(-sock));
        }
        return sock;
    }

    /** Takes the master from the child's slot (a copy in this process, close-on-exec). */
    static int takeMaster(ChildLauncher.Child child, int slot) {
        return (int) Sys.call("take the terminal from the container's process", SyscallNr.PIDFD_GETFD,
                child.pidfd(), slot, 0);
    }

    /** Sends the master over the console socket and closes both: the receiver owns the terminal now. */
    public static void send(int sock, int master) {
        try {
            int rc = UnixSocket.sendWithFd(sock, "/dev/ptmx".getBytes(StandardCharsets.UTF_8), master);
            if (rc < 0) {
                throw new JrunException("--console-socket: cannot send the terminal: " + Errno.describe(-rc));
            }
        } finally {
            Sys.attempt(SyscallNr.CLOSE, master);
            Sys.attempt(SyscallNr.CLOSE, sock);
        }
    }
}
