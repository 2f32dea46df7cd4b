package org.softmax4j.nd4j;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ND4J's native start-up, done once on first use (lazy holder idiom: the JVM initialises this class the first time an
 * op needs it, never during discovery), and the per-thread workspace every op allocates its temporaries in.
 *
 * <p>Start-up costs measured on the build machine (JDK 17, 2 cores, ND4J 1.0.0-M2.1, linux-x86_64): the first start
 * on a fresh machine unpacks about 400 MB of natives to {@code ~/.javacpp/cache} and takes about 2.5-3 s; later starts
 * take about 0.45 s; the first call of each op then pays for op lookup and JIT (tens of microseconds per op until
 * warm).
 */
final class Nd4jRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(Nd4jRuntime.class);

    /** The id of the per-thread workspace (ND4J keeps one instance per id and thread). */
    static final String WORKSPACE_ID = "softmax4j-nd4j";

    /**
     * Temporaries of one call live in a workspace that ND4J sizes after the first call (FIRST_LOOP) and re-sizes when
     * a larger call spills (REALLOCATE): after warm-up a call allocates no native memory at all, and the workspace
     * never grows beyond the largest call a thread has made. BLOCK_LEFT resets it when the call's scope closes.
     */
    static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0)
            .overallocationLimit(0.25)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    /** The system property that sets OpenBLAS's thread count on start-up (default 1; 0 leaves ND4J's). */
    static final String BLAS_THREADS_PROPERTY = "softmax4j.nd4j.blasThreads";

    /** How long the native start-up took, in nanoseconds (for diagnostics and the tests). */
    static final long STARTUP_NANOS;

    static {
        // Quiet by default, only where the user has not decided: ND4J logs its backend banner at INFO and scans the
        // class path for version mismatches at start-up; both can be turned back on with the same properties.
        setIfAbsent("org.nd4j.log.initialization", "false");
        setIfAbsent("org.nd4j.versioncheck", "false");
        long t0 = System.nanoTime();
        Nd4j.getExecutioner(); // loads the backend and libnd4j
        // OpenBLAS splits a product differently for each thread count, and so gives other last bits: one thread by
        // default, so that the products are the same bits on any machine; -Dsoftmax4j.nd4j.blasThreads=N sets N, 0
        // leaves ND4J's own setting (this is ND4J's process-wide BLAS setting)
        int blasThreads = Integer.getInteger(BLAS_THREADS_PROPERTY, 1);
        if (blasThreads > 0) {
            Nd4j.factory().blas().setMaxThreads(blasThreads);
        }
        STARTUP_NANOS = System.nanoTime() - t0;
        LOG.debug("ND4J backend {} started in {} ms", Nd4j.getBackend().getClass().getSimpleName(),
                STARTUP_NANOS / 1_000_000);
    }

    private Nd4jRuntime() {
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Starts ND4J if it is not started yet (the class initialiser does the work). */
    static void start() {
        // nothing: reaching this method has run the static initialiser
    }

    /** @return this thread's workspace, activated; close it (try-with-resources) to release the call's temporaries */
    static MemoryWorkspace scope() {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, WORKSPACE_ID);
    }
}
