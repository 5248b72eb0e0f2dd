package jrun.shim;

import java.util.List;

/**
 * The command line containerd 1.6 gives a shim (runtime/v2/shim/shim.go's flags, Go's flag
 * syntax: {@code -name value}, {@code --name value} or {@code -name=value}), then the action:
 * {@code start}, {@code delete}, or none to serve.
 */
record ShimFlags(String namespace, String id, String address, String publishBinary, String bundle, String socket,
                 boolean debug, boolean version, String action) {

    static ShimFlags parse(List<String> args) {
        String namespace = "";
        String id = "";
        String address = "";
        String publishBinary = "containerd";
        String bundle = "";
        String socket = "";
        boolean debug = false;
        boolean version = false;
        int i = 0;
        for (; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-") || arg.equals("-") ) {
                break;
            }
            if (arg.equals("--")) {
                i++;
                break;
            }
            String name = arg.replaceFirst("^--?", "");
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (name.equals("debug") || name.equals("v")) {
                boolean on = value == null || value.equals("true") || value.equals("1");
                if (name.equals("debug")) {
                    debug = on;
                } else {
                    version = on;
                }
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("flag needs an argument: -" + name);
                }
                value = args.get(++i);
            }
            switch (name) {
                case "namespace" -> namespace = value;
                case "id" -> id = value;
                case "address" -> address = value;
                case "publish-binary" -> publishBinary = value;
                case "bundle" -> bundle = value;
                case "socket" -> socket = value;
                default -> throw new IllegalArgumentException("flag provided but not defined: -" + name);
            }
        }
        String action = i < args.size() ? args.get(i) : "";
        return new ShimFlags(namespace, id, address, publishBinary, bundle, socket, debug, version, action);
    }
}
