package jrun.container;

import jrun.state.StateStore;

/** {@code resume}: thaws a container that {@code pause} froze. */
public final class ContainerResumer {
    private final StateStore store;

    public ContainerResumer(StateStore store) {
        this.store = store;
    }

    public void resume(String id) {
        Freezing.apply(store, id, false);
    }
}
