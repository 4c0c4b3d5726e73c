package dev.spindle.core;

/**
 * The thread of one worker. A task can ask {@code Thread.currentThread() instanceof WorkerThread}
 * to find the worker it runs on, which is how {@link Task#join()} knows it may help.
 */
final class WorkerThread extends Thread {

    private final Worker worker;

    WorkerThread(Worker worker, String name, long stackSize, boolean daemon,
                 UncaughtExceptionHandler handler) {
        super(null, null, name, stackSize);
        this.worker = worker;
        setDaemon(daemon);
        if (handler != null) {
            setUncaughtExceptionHandler(handler);
        }
    }

    Worker worker() {
        return worker;
    }

    @Override
    public void run() {
        worker.runLoop();
    }
}
