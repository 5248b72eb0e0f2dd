package jrun.validation;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import jrun.json.JsonValue;

/**
 * Orders JSON pointers as their values appear in a document, so that problems are listed top to
 * bottom whichever check found them; a pointer to a missing member sorts after its siblings.
 */
final class DocumentOrder implements Comparator<String> {
    private final JsonValue root;

    private DocumentOrder(JsonValue root) {
        this.root = root;
    }

    /** Sorts {@code problems} (stably) by where their pointers lead in {@code document}. */
    static void sort(List<Problem> problems, JsonValue document) {
        if (problems.size() > 1) {
            problems.sort(Comparator.comparing(Problem::pointer, new DocumentOrder(document)));
        }
    }

    @Override
    public int compare(String a, String b) {
        return Arrays.compare(rank(a), rank(b));
    }

    /** The position of each step of the pointer among its siblings. */
    private int[] rank(String pointer) {
        if (pointer.isEmpty()) {
            return new int[0];
        }
        String[] tokens = pointer.substring(1).split("/", -1);
        int[] rank = new int[tokens.length];
        JsonValue node = root;
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i].replace("~1", "/").replace("~0", "~");
            int position = Integer.MAX_VALUE;
            if (node.isArray()) {
                try {
                    position = Integer.parseInt(token);
                } catch (NumberFormatException e) {
                    // not an index: sorts last
                }
            } else if (node.isObject()) {
                int k = 0;
                for (String name : node.propertyNames()) {
                    if (name.equals(token)) {
                        position = k;
                        break;
                    }
                    k++;
                }
            }
            rank[i] = position;
            node = node.isArray() ? node.path(position == Integer.MAX_VALUE ? -1 : position) : node.path(token);
        }
        return rank;
    }
}
