package jrun.container;

import jrun.state.StateStore;

/**
 * {@code pause}: freezes every process of a running or created container through its cgroup
 * (cgroup.freeze on v2, the freezer on v1); its status is then {@code paused}.
 */
public final class ContainerPauser {
    private final StateStore store;

    public ContainerPauser(StateStore store) {
        this.store = store;
    }

    public void pause(String id) {
        Freezing.apply(store, id, true);
    }
}
