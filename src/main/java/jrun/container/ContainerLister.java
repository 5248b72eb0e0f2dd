package jrun.container;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import jrun.state.ContainerState;
import jrun.state.OciState;
import jrun.state.StateStore;

/** {@code list}: every container under the root, with its live status and owner. */
public final class ContainerLister {
    private final StateStore store;

    public ContainerLister(StateStore store) {
        this.store = store;
    }

    /** @param warn where a container whose state cannot be read is reported (and skipped) */
    public List<OciState> list(Consumer<String> warn) {
        StatusProbe probe = StatusProbe.system();
        List<OciState> states = new ArrayList<>();
        for (ContainerState saved : store.list(warn)) {
            states.add(OciState.of(saved, probe.status(saved, store.containerDir(saved.id())), store.owner(saved.id())));
        }
        return states;
    }
}
