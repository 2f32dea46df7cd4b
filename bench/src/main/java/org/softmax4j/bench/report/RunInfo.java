package org.softmax4j.bench.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The machine and the settings of one run, saved next to the results so a report can be rendered again.
 *
 * @param date     when the run started (UTC, ISO-8601)
 * @param cpuModel the CPU model from /proc/cpuinfo, or os.arch where there is none
 * @param cores    the processors the JVM sees
 * @param memoryGb physical memory in GiB, or NaN if unknown
 * @param loadAverage the 1-minute system load average when the run started (above the core count: noisy figures),
 *                 or -1 if unknown
 * @param jdk      vendor, VM and version of the JDK
 * @param os       name, version, arch
 * @param command  the command line that made the results
 * @param settings the JMH settings in words (forks, warmup, iterations)
 * @param backends one line per backend found: name, priority, description
 * @param skipped  what the run skipped, with the reason: providers discovery skipped, plain's kernels side by side
 *                 when they could not run
 * @param warmup   the profile's warm-up per fork as {@link Measurement#warmup(int, long)} words it (a figure with a
 *                 longer one had its warm-up extended); null without microbenchmarks or in older run.json files
 */
public record RunInfo(String date, String cpuModel, int cores, double memoryGb, double loadAverage, String jdk,
                      String os, String command, String settings, List<String> backends, List<String> skipped,
                      String warmup) {

    /** @return the facts of this machine and JVM now */
    public static RunInfo here(String command, String settings, String warmup, List<String> backends,
                               List<String> skipped) {
        return new RunInfo(Instant.now().toString(), readCpuModel(), Runtime.getRuntime().availableProcessors(),
                readMemoryGb(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                System.getProperty("java.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"), command, settings, backends, skipped, warmup);
    }

    private static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: fall through to the architecture.
        }
        return System.getProperty("os.arch");
    }

    private static double readMemoryGb() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize() / (1024.0 * 1024 * 1024);
        }
        return Double.NaN;
    }
}
