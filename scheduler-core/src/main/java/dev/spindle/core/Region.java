package dev.spindle.core;

import java.util.function.Predicate;

/**
 * Where a task belongs: which arena's cap it counts against (none for the scheduler's own tasks)
 * and whether it was forked inside an isolated region. A task inherits the region of the task (or
 * isolated block) that forked it. As a predicate it accepts exactly the tasks of this region: a
 * worker waiting inside an isolated region takes only those ({@code docs/design/arenas.md}).
 *
 * <p>Immutable; any thread.
 */
final class Region implements Predicate<Task<?>> {

    /**
     * The region of a {@link ForkableTask} that has not been forked yet. No task in a queue has it;
     * a join on a task that has it could never end, and throws instead.
     */
    static final Region UNFORKED = new Region(null, false);

    /** The arena whose cap applies, or null for the scheduler's default region. */
    final ArenaCore arena;
    /** Whether a worker waiting in this region may run only this region's tasks. */
    final boolean isolated;

    Region(ArenaCore arena, boolean isolated) {
        this.arena = arena;
        this.isolated = isolated;
    }

    @Override
    public boolean test(Task<?> task) {
        return task.region() == this;
    }

    @Override
    public String toString() {
        return "Region[" + (arena == null ? "default" : arena.name()) + (isolated ? ", isolated" : "") + "]";
    }
}
