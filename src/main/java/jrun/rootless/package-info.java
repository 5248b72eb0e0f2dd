/**
 * Running as an ordinary user, as runc's rootless mode: whether jrun is rootless
 * ({@link RootlessMode}, runc's {@code --rootless}), where its state goes by default
 * ({@link DefaultRoot}), which host ids the user may map ({@link SubordinateIds}), and what a
 * rootless config must satisfy ({@link RootlessConfig}). Who jrun runs as is the sys layer's
 * Identity; the container's id maps are written by the process layer's UserNamespaceMaps,
 * through {@code newuidmap}/{@code newgidmap} when they map more than the user's own id.
 */
package jrun.rootless;
