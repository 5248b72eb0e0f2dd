/**
 * Container state under {@code --root}: ids ({@link jrun.state.ContainerId}), the saved state
 * ({@link jrun.state.ContainerState}, read and written by {@link jrun.state.StateJson}), the
 * store and its per-container lock ({@link jrun.state.StateStore},
 * {@link jrun.state.ContainerLock}). It only stores: what a status allows, the live status
 * and deletion are the container layer's ({@code jrun.container}).
 *
 * <p>Layout: {@code <root>/<id>/state.json} (mode 0600), {@code <root>/<id>/lock},
 * {@code <root>/<id>/exec.fifo} while the container is {@code created}; root is 0700, each
 * container directory 0711, as runc makes them.
 */
package jrun.state;
