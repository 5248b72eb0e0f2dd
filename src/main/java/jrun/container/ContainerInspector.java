package jrun.container;

import jrun.state.ContainerId;
import jrun.state.ContainerState;
import jrun.state.OciState;
import jrun.state.StateStore;

/** {@code state}: a container's saved state with its live status, as the runtime-spec's state. */
public final class ContainerInspector {
    private final StateStore store;

    public ContainerInspector(StateStore store) {
        this.store = store;
    }

    public OciState state(String rawId) {
        String id = ContainerId.validate(rawId);
        ContainerState saved = store.load(id);
        // runc leaves "owner" empty here (only `list` fills it in); so does jrun.
        return OciState.of(saved, StatusProbe.system().status(saved, store.containerDir(id)), "");
    }
}
