package dev.spindle.agent;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.isTypeInitializer;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.spindle.core.Scheduler;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ForkJoinTask;
import java.util.function.Supplier;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Starts the agent, from the bootstrap class path ({@link SpindleAgent} puts it there): reads the
 * options, lets {@code java.base} call the agent (its classes live in the bootstrap loader's
 * unnamed module, which {@code java.base} does not read by default), starts
 * {@link Scheduler#global()} so that a bad setting fails the JVM's start and not a later
 * {@code newFixedThreadPool}, weaves the advice into the JDK classes, and registers the report.
 */
public final class AgentStart {

    /**
     * Where Byte Buddy reads the advice classes' bytes. They are loaded by the bootstrap loader,
     * which gives no class file; the agent's jar is also on the system class path (the JVM puts a
     * {@code -javaagent} jar there), so the system loader finds the same files.
     */
    private static final ClassFileLocator ADVICE_CODE = ClassFileLocator.ForClassLoader.ofSystemLoader();

    private AgentStart() {
    }

    /** Called once by {@link SpindleAgent}. */
    public static void start(String arguments, Instrumentation instrumentation) throws Exception {
        AgentOptions options = AgentOptions.parse(arguments);
        Module agentModule = AgentStart.class.getModule();
        Module javaBase = Object.class.getModule();
        instrumentation.redefineModule(javaBase, Set.of(agentModule), Map.of(),
                Map.of("java.util.concurrent", Set.of(agentModule), "java.lang", Set.of(agentModule)), Set.of(),
                Map.of());
        ThreadFactoryProbe.install();
        Scheduler.global();
        if (options.forkJoin) {
            ForkJoinRedirect.install();
        }
        // Load every class to be woven before weaving starts: a class first loaded while Byte Buddy
        // transforms another one (ForkJoinPool, while ForkJoinTask is retransformed) is not
        // transformed, and it would not be in the list of loaded classes to retransform either.
        for (Class<?> target : List.of(Executors.class, CompletableFuture.class, ForkJoinTask.class,
                ForkJoinPool.class, ThreadPoolExecutor.class, Redirects.class, ForkJoinRedirect.class,
                RedirectReport.class, RedirectedThreadPoolExecutor.class)) {
            target.getName();
        }
        List<String> failures = new ArrayList<>();
        new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
                .ignore(nameStartsWith("dev.spindle.").or(nameStartsWith("net.bytebuddy.")))
                .with(new FailureListener(failures))
                .with(Boolean.getBoolean("spindle.agent.debug")
                        ? AgentBuilder.Listener.StreamWriting.toSystemError().withTransformationsOnly()
                        : AgentBuilder.Listener.NoOp.INSTANCE)
                .type(named("java.util.concurrent.Executors"))
                .transform(advice(ExecutorsAdvice.FixedThreadPool.class, isStaticNamed("newFixedThreadPool")))
                .transform(advice(ExecutorsAdvice.CachedThreadPool.class, isStaticNamed("newCachedThreadPool")))
                .transform(advice(ExecutorsAdvice.SingleThreadExecutor.class, isStaticNamed("newSingleThreadExecutor")))
                .transform(advice(ExecutorsAdvice.WorkStealingPool.class, isStaticNamed("newWorkStealingPool")))
                .type(named("java.util.concurrent.CompletableFuture"))
                .transform(advice(CompletableFutureAdvice.DefaultExecutor.class,
                        named("defaultExecutor").and(takesArguments(0))))
                .transform(advice(CompletableFutureAdvice.SupplyAsync.class,
                        isStaticNamed("supplyAsync").and(takesArguments(1)).and(takesArgument(0, Supplier.class))))
                .transform(advice(CompletableFutureAdvice.RunAsync.class,
                        isStaticNamed("runAsync").and(takesArguments(1)).and(takesArgument(0, Runnable.class))))
                .transform(advice(CompletableFutureAdvice.Await.class,
                        namedOneOf("join", "get").and(takesArguments(0))))
                .type(named("java.util.concurrent.ForkJoinTask"))
                .transform(advice(ForkJoinTaskAdvice.Fork.class, named("fork").and(takesArguments(0))))
                .transform(advice(ForkJoinTaskAdvice.Await.class,
                        namedOneOf("join", "get", "quietlyJoin").and(takesArguments(0))))
                .transform(advice(ForkJoinTaskAdvice.Invoke.class,
                        namedOneOf("invoke", "quietlyInvoke").and(takesArguments(0))))
                .transform(advice(ForkJoinTaskAdvice.InvokeTwo.class,
                        isStaticNamed("invokeAll").and(takesArguments(2))))
                .transform(advice(ForkJoinTaskAdvice.InvokeArray.class,
                        isStaticNamed("invokeAll").and(takesArguments(1)).and(takesArgument(0, ForkJoinTask[].class))))
                .transform(advice(ForkJoinTaskAdvice.InvokeCollection.class,
                        isStaticNamed("invokeAll").and(takesArguments(1)).and(takesArgument(0, Collection.class))))
                .type(namedOneOf(LibraryLimits.AFTER_INIT.keySet().toArray(new String[0])))
                .transform(advice(LibraryLimitAdvice.AfterInit.class, isTypeInitializer()))
                .type(namedOneOf(LibraryLimits.BEFORE_INIT.keySet().toArray(new String[0])))
                .transform(advice(LibraryLimitAdvice.BeforeInit.class, isTypeInitializer()))
                .type(namedOneOf("java.util.concurrent.ThreadPoolExecutor", "java.util.concurrent.ForkJoinPool"))
                .transform(advice(PoolConstructorAdvice.class, isConstructor().and(isPublic())))
                .installOn(instrumentation);
        if (!failures.isEmpty()) {
            throw new IllegalStateException("the Spindle agent could not instrument: " + failures);
        }
        Redirects.install(options);
        if (options.report) {
            Runtime.getRuntime().addShutdownHook(new Thread(
                    () -> RedirectReport.print(System.err, options), "spindle-agent-report"));
        }
    }

    private static net.bytebuddy.matcher.ElementMatcher.Junction<net.bytebuddy.description.method.MethodDescription>
            isStaticNamed(String name) {
        return isStatic().and(named(name)).and(isPublic());
    }

    /**
     * The advice is read (and the types its methods name are loaded) here, before anything is
     * woven: reading it inside the transformation of {@code CompletableFuture} would load
     * {@code CompletableFuture} while it is being loaded ({@code ClassCircularityError}).
     */
    private static AgentBuilder.Transformer advice(Class<?> adviceClass,
            net.bytebuddy.matcher.ElementMatcher<? super net.bytebuddy.description.method.MethodDescription> on) {
        AsmVisitorWrapper woven = Advice.to(adviceClass, ADVICE_CODE).on(on);
        return (DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader, JavaModule module,
                java.security.ProtectionDomain domain) -> builder.visit(woven);
    }

    /** Collects what could not be woven, so that start-up fails instead of running half redirected. */
    private static final class FailureListener extends AgentBuilder.Listener.Adapter {
        private final List<String> failures;

        FailureListener(List<String> failures) {
            this.failures = failures;
        }

        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                Throwable throwable) {
            synchronized (failures) {
                failures.add(typeName + ": " + throwable);
            }
        }
    }
}
