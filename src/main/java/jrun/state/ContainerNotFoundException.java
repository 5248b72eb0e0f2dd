package jrun.state;

import jrun.base.JrunException;

/** There is no container by that id under {@code --root}. The message keeps runc's words,
 *  "container does not exist", which engines (containerd's shim, podman) look for. */
public final class ContainerNotFoundException extends JrunException {
    private final String id;

    public ContainerNotFoundException(String id) {
        super("container does not exist: " + id);
        this.id = id;
    }

    public String id() {
        return id;
    }
}
