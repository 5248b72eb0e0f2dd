/**
 * Container state under {@code --root}: ids ({@link jrun.state.ContainerId}), the saved state
 * ({@link jrun.state.ContainerState}, read and written by {@link jrun.state.StateJson}), the
 * store and its per-container lock ({@link jrun.state.StateStore},
 * {@link jrun.state.ContainerLock}), the live status ({@link jrun.state.StatusProbe}) and
 * deletion ({@link jrun.state.ContainerDeleter}).
 *
 * <p>Layout: {@code <root>/<id>/state.json} (mode 0600), {@code <root>/<id>/lock},
 * {@code <root>/<id>/exec.fifo} while the container is {@code created}; root is 0700, each
 * container directory 0711, as runc makes them.
 */
package jrun.state;
