package dev.spindle.core;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.InstanceAlreadyExistsException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.ReflectionException;
import javax.management.openmbean.ArrayType;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenMBeanAttributeInfoSupport;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;

/**
 * The JMX view of one scheduler, {@code dev.spindle:type=Scheduler,name=<scheduler name>}: every
 * figure of {@link SchedulerStats} as an attribute, and {@code Arenas}, one composite per arena
 * (name, priority, cap, running, queued, peak, deferred). Visible in {@code jconsole}, VisualVM
 * and any other JMX client of the platform MBean server.
 *
 * <p><b>Read-only by construction.</b> Every attribute is read-only and there is no operation:
 * {@link #setAttribute} and {@link #invoke} always throw, so nothing reachable through JMX can
 * resize, pause or shut down a scheduler.
 *
 * <p><b>Registration.</b> A scheduler registers its view when it is built and unregisters it when
 * it is shut down ({@link #register}, {@link #unregister}). A second live scheduler of the same
 * name gets {@code ,instance=2} (then 3, …) added to its name rather than an error; if JMX refuses
 * (a security manager), the scheduler runs without a view. Thread-safe.
 */
final class ReadOnlySchedulerMBean implements DynamicMBean {

    static final String DOMAIN = "dev.spindle";
    /** Past this many schedulers of one name, later ones get no view (the clash is almost surely a leak). */
    private static final int MAX_INSTANCES_PER_NAME = 1_000;

    private static final String[] ARENA_ITEMS = {
        "name", "priority", "maxConcurrency", "running", "queued", "peakConcurrency", "tasksDeferred"};
    private static final CompositeType ARENA_TYPE;
    private static final ArrayType<CompositeData[]> ARENAS_TYPE;

    static {
        try {
            ARENA_TYPE = new CompositeType("dev.spindle.ArenaStats", "One arena's figures", ARENA_ITEMS,
                    new String[] {"name", "priority (LOW, NORMAL, HIGH)", "the cap", "threads running its tasks now",
                        "tasks queued now", "most threads at once so far", "tasks queued at the cap so far"},
                    new OpenType<?>[] {SimpleType.STRING, SimpleType.STRING, SimpleType.INTEGER,
                        SimpleType.INTEGER, SimpleType.INTEGER, SimpleType.INTEGER, SimpleType.LONG});
            ARENAS_TYPE = ArrayType.getArrayType(ARENA_TYPE);
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One attribute: its name, type, description, and how to read it from a stats snapshot. */
    private static final class Figure {
        final String name;
        final OpenType<?> type;
        final String description;
        final Function<SchedulerStats, Object> read;

        Figure(String name, OpenType<?> type, String description, Function<SchedulerStats, Object> read) {
            this.name = name;
            this.type = type;
            this.description = description;
            this.read = read;
        }
    }

    private static final List<Figure> FIGURES = List.of(
            new Figure("Parallelism", SimpleType.INTEGER, "regular workers", SchedulerStats::parallelism),
            new Figure("TasksExecuted", SimpleType.LONG, "tasks run", SchedulerStats::tasksExecuted),
            new Figure("Steals", SimpleType.LONG, "tasks taken from another worker's deque", SchedulerStats::steals),
            new Figure("Parks", SimpleType.LONG, "times a worker went to sleep", SchedulerStats::parks),
            new Figure("Wakeups", SimpleType.LONG, "times a sleeping worker was woken for work", SchedulerStats::wakeups),
            new Figure("OutsideSubmissions", SimpleType.LONG, "tasks submitted from outside the pool",
                    SchedulerStats::outsideSubmissions),
            new Figure("ActiveWorkers", SimpleType.INTEGER, "workers running a task now", SchedulerStats::activeWorkers),
            new Figure("PeakActiveWorkers", SimpleType.INTEGER, "most workers active at once",
                    SchedulerStats::peakActiveWorkers),
            new Figure("QueuedSubmissions", SimpleType.INTEGER, "outside submissions waiting now",
                    SchedulerStats::queuedSubmissions),
            new Figure("BlockedWorkers", SimpleType.INTEGER, "workers blocked now", SchedulerStats::blockedWorkers),
            new Figure("ActiveSpareWorkers", SimpleType.INTEGER, "stand-ins running for blocked workers now",
                    SchedulerStats::activeSpareWorkers),
            new Figure("SpareThreadsStarted", SimpleType.INTEGER, "spare threads started so far",
                    SchedulerStats::spareThreadsStarted),
            new Figure("MaxSpareWorkers", SimpleType.INTEGER, "the cap on stand-ins", SchedulerStats::maxSpareWorkers),
            new Figure("BlockedWorkerDetections", SimpleType.LONG, "workers found blocked outside managedBlock",
                    SchedulerStats::blockedWorkerDetections));

    private final Scheduler scheduler;
    private final MBeanInfo info;

    private ReadOnlySchedulerMBean(Scheduler scheduler) {
        this.scheduler = scheduler;
        List<MBeanAttributeInfo> attributes = new ArrayList<>();
        attributes.add(new OpenMBeanAttributeInfoSupport("Name", "the scheduler's name", SimpleType.STRING,
                true, false, false));
        attributes.add(new OpenMBeanAttributeInfoSupport("Shutdown", "whether it has been shut down",
                SimpleType.BOOLEAN, true, false, true));
        for (Figure figure : FIGURES) {
            attributes.add(new OpenMBeanAttributeInfoSupport(figure.name, figure.description, figure.type,
                    true, false, false));
        }
        attributes.add(new OpenMBeanAttributeInfoSupport("Arenas", "one entry per arena", ARENAS_TYPE,
                true, false, false));
        this.info = new MBeanInfo(getClass().getName(), "A Spindle scheduler (read-only)",
                attributes.toArray(new MBeanAttributeInfo[0]), null, null, null);
    }

    /**
     * Registers a view of {@code scheduler} with the platform MBean server.
     *
     * @return the name it was registered under, or null if it was not (JMX refused, or too many
     *     live schedulers share the name); the scheduler works either way
     */
    static ObjectName register(Scheduler scheduler) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ReadOnlySchedulerMBean view = new ReadOnlySchedulerMBean(scheduler);
            String base = DOMAIN + ":type=Scheduler,name=" + quoteIfNeeded(scheduler.name());
            for (int instance = 1; instance <= MAX_INSTANCES_PER_NAME; instance++) {
                ObjectName name = new ObjectName(instance == 1 ? base : base + ",instance=" + instance);
                try {
                    return server.registerMBean(view, name).getObjectName();
                } catch (InstanceAlreadyExistsException clash) {
                    // another live scheduler has this name: try the next instance number
                }
            }
            return null;
        } catch (Exception | LinkageError refused) {
            return null;
        }
    }

    /** Unregisters what {@link #register} registered; nothing if {@code name} is null or already gone. */
    static void unregister(ObjectName name) {
        if (name == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (Exception | LinkageError gone) {
            // already unregistered (a shutdown racing another), or JMX refused: nothing to undo
        }
    }

    private static String quoteIfNeeded(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '=' || c == ':' || c == '"' || c == '*' || c == '?' || c == '\n' || c == '\\') {
                return ObjectName.quote(value);
            }
        }
        return value;
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        return read(attribute, scheduler.stats());
    }

    private Object read(String attribute, SchedulerStats stats) throws AttributeNotFoundException {
        switch (attribute) {
            case "Name":
                return scheduler.name();
            case "Shutdown":
                return scheduler.isShutdown();
            case "Arenas":
                return arenas();
            default:
                for (Figure figure : FIGURES) {
                    if (figure.name.equals(attribute)) {
                        return figure.read.apply(stats);
                    }
                }
                throw new AttributeNotFoundException("no attribute " + attribute + " on a Spindle scheduler");
        }
    }

    private CompositeData[] arenas() {
        List<ArenaStats> all = scheduler.arenaStats();
        CompositeData[] rows = new CompositeData[all.size()];
        try {
            for (int i = 0; i < rows.length; i++) {
                ArenaStats arena = all.get(i);
                rows[i] = new CompositeDataSupport(ARENA_TYPE, ARENA_ITEMS, new Object[] {
                    arena.name(), arena.priority().name(), arena.maxConcurrency(), arena.running(),
                    arena.queued(), arena.peakConcurrency(), arena.tasksDeferred()});
            }
        } catch (OpenDataException e) {
            throw new IllegalStateException("arena figures do not match their declared types", e);
        }
        return rows;
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        SchedulerStats stats = scheduler.stats();
        AttributeList list = new AttributeList();
        for (String attribute : attributes) {
            try {
                list.add(new Attribute(attribute, read(attribute, stats)));
            } catch (AttributeNotFoundException unknown) {
                // getAttributes leaves out what it cannot read, as the JMX contract says
            }
        }
        return list;
    }

    /** Always throws: every attribute is read-only. */
    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException("attribute " + attribute.getName()
                + " of a Spindle scheduler is read-only");
    }

    /** Sets nothing: every attribute is read-only, so the returned list is empty. */
    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    /** Always throws: the view has no operation. */
    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
        throw new ReflectionException(new NoSuchMethodException(actionName),
                "a Spindle scheduler's MBean has no operations (it is read-only)");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }
}
