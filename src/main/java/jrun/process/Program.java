package jrun.process;

import java.lang.foreign.Arena;
import java.util.List;

/**
 * A prepared list of system calls for the forked child of {@code clone3} to execute, with every
 * string, array and struct it needs already in native memory. See {@link ChildInterpreter} for
 * why the child may do nothing but walk such a list.
 *
 * @param ops      {@link ChildInterpreter#OP_WIDTH} longs per op
 * @param steps    what each step does, in words, for error messages; an op's step indexes this
 * @param registers how many registers the program uses
 * @param arena    owns the native memory the ops point into; must outlive the child's set-up
 * @param role     what the child is, for error messages: "container init", "exec", "hook"
 */
public record Program(long[] ops, List<String> steps, int registers, Arena arena, String role) {
    public int opCount() {
        return ops.length / ChildInterpreter.OP_WIDTH;
    }

    /** The step the op at {@code index} belongs to. */
    public int currentStepOf(int index) {
        return (int) ops[index * ChildInterpreter.OP_WIDTH + ChildInterpreter.STEP];
    }
}
