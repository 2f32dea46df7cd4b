package org.softmax4j.bench.report;

import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Op;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Whether two runs of the bench (the quick profile and the full one, say) rank the backends of every op, dtype and
 * shape the same way.
 *
 * <p>For each (op, dtype, shape) measured in both runs, the backends measured in both are ordered by mean time in
 * each run. Each pair of backends whose order differs is listed with its time ratio in both runs and whether each run
 * <em>separates</em> the two: their difference exceeds the sum of JMH's 99.9% confidence half-widths. A pair the
 * reference run separates but the other run orders the other way is a wrong ranking; a pair the reference run does
 * not separate is one that run cannot order either (a tie within its own noise), and is counted apart, never
 * hidden; so is a pair with a figure the bench marked unreliable in either run ({@link WarmupCheck}: taken before
 * warm-up converged, which the report says not to rank by). The memory-bandwidth reference (one "backend") and plain's kernels side by side
 * ({@link Measurement#kernels}) are not ranked.
 */
public final class RankingComparison {

    private RankingComparison() {
    }

    /**
     * The figures of one (op, dtype, shape) in both runs.
     *
     * @param op        the op
     * @param dtype     its element type
     * @param shape     the shape as the report prints it
     * @param candidate the run being checked, fastest first, backends measured in both runs only
     * @param reference the reference run, fastest first, the same backends
     */
    public record Group(Op op, Dtype dtype, String shape, List<Measurement> candidate, List<Measurement> reference) {

        /** @return whether both runs put the backends in the same order */
        public boolean sameOrder() {
            return names(candidate).equals(names(reference));
        }

        /** @return the pairs of backends the two runs order differently */
        public List<Swap> swaps() {
            List<Swap> out = new ArrayList<>();
            for (int i = 0; i < reference.size(); i++) {
                for (int j = i + 1; j < reference.size(); j++) {
                    Measurement fast = reference.get(i);
                    Measurement slow = reference.get(j);
                    Measurement fastThere = byBackend(candidate, fast.backend());
                    Measurement slowThere = byBackend(candidate, slow.backend());
                    if (fastThere.nsPerOp() > slowThere.nsPerOp()) {
                        out.add(new Swap(this, fast, slow, fastThere, slowThere));
                    }
                }
            }
            return out;
        }
    }

    /**
     * Two backends the runs order differently: {@code fast} is the faster in the reference run.
     *
     * @param group         where
     * @param fast          the reference run's faster backend, in the reference run
     * @param slow          the reference run's slower backend, in the reference run
     * @param fastCandidate the same backend as {@code fast}, in the run being checked
     * @param slowCandidate the same backend as {@code slow}, in the run being checked
     */
    public record Swap(Group group, Measurement fast, Measurement slow, Measurement fastCandidate,
                       Measurement slowCandidate) {

        /** @return whether the reference run tells the two apart beyond its confidence intervals */
        public boolean referenceSeparates() {
            return separated(fast, slow);
        }

        /** @return whether the run being checked tells the two apart beyond its confidence intervals */
        public boolean candidateSeparates() {
            return separated(fastCandidate, slowCandidate);
        }

        /** @return whether one of the four figures was marked unreliable (taken before warm-up converged) */
        public boolean unreliable() {
            return fast.unreliable() != null || slow.unreliable() != null || fastCandidate.unreliable() != null
                    || slowCandidate.unreliable() != null;
        }

        /** @return a wrong ranking: reliable figures, and the reference run separates the two */
        public boolean wrong() {
            return !unreliable() && referenceSeparates();
        }
    }

    /**
     * @return whether the difference of two figures exceeds the sum of their 99.9% confidence half-widths; false when
     *         either half-width is unknown (one measured iteration)
     */
    static boolean separated(Measurement a, Measurement b) {
        double errors = a.nsError() + b.nsError();
        return !Double.isNaN(errors) && Math.abs(a.nsPerOp() - b.nsPerOp()) > errors;
    }

    /**
     * @param candidate the run being checked
     * @param reference the run whose order counts (the full profile)
     * @return one group per (op, dtype, shape) with at least two backends measured in both runs, in report order
     */
    public static List<Group> compare(List<Measurement> candidate, List<Measurement> reference) {
        Map<String, List<Measurement>> candidateGroups = groups(candidate);
        List<Group> out = new ArrayList<>();
        groups(reference).forEach((key, referenceGroup) -> {
            List<Measurement> candidateGroup = candidateGroups.getOrDefault(key, List.of());
            List<Measurement> ref = referenceGroup.stream()
                    .filter(m -> byBackend(candidateGroup, m.backend()) != null).toList();
            List<Measurement> cand = candidateGroup.stream()
                    .filter(m -> byBackend(ref, m.backend()) != null).toList();
            if (ref.size() >= 2) {
                Measurement first = ref.get(0);
                out.add(new Group(first.op(), first.dtype(), first.shapeLabel(), cand, ref));
            }
        });
        return out;
    }

    /** @return the comparison as Markdown: a summary, every group's order in both runs, then every swapped pair */
    public static String render(List<Group> groups, String candidateName, String referenceName) {
        List<Swap> swaps = groups.stream().flatMap(g -> g.swaps().stream()).toList();
        long same = groups.stream().filter(Group::sameOrder).count();
        long wrong = swaps.stream().filter(Swap::wrong).count();
        long unreliable = swaps.stream().filter(Swap::unreliable).count();
        StringBuilder md = new StringBuilder();
        md.append("# Rankings: ").append(candidateName).append(" against ").append(referenceName).append("\n\n");
        md.append(String.format(Locale.ROOT, "%d of %d (op, dtype, shape) groups ranked the same way; %d pair(s) of"
                        + " backends ordered differently, %d of them separated by %s (their difference is larger than"
                        + " the sum of its 99.9%% confidence half-widths) and %d within its noise", same, groups.size(),
                swaps.size(), wrong, referenceName, swaps.size() - wrong - unreliable));
        md.append(unreliable == 0 ? "" : String.format(Locale.ROOT, "; %d with a figure marked unreliable (⚠: taken"
                + " before warm-up converged, not to be ranked by) in either run", unreliable));
        md.append(".\n\n");
        md.append("| op | dtype | shape | ").append(candidateName).append(", fastest first | ").append(referenceName)
                .append(", fastest first | same |\n|---|---|---|---|---|---|\n");
        for (Group g : groups) {
            md.append("| ").append(g.op().method()).append(" | ").append(g.dtype()).append(" | ").append(g.shape())
                    .append(" | ").append(order(g.candidate())).append(" | ").append(order(g.reference()))
                    .append(" | ").append(g.sameOrder() ? "yes" : "**no**").append(" |\n");
        }
        md.append('\n');
        if (!swaps.isEmpty()) {
            md.append("Pairs ordered differently (\"faster\" is the faster in ").append(referenceName)
                    .append("; time ratio slower / faster, < 1 where ").append(candidateName)
                    .append(" has them the other way round):\n\n");
            md.append("| op | dtype | shape | faster | slower | ratio in ").append(referenceName)
                    .append(" | separated | ratio in ").append(candidateName).append(" | separated | unreliable"
                            + " figure |\n");
            md.append("|---|---|---|---|---|---:|---|---:|---|---|\n");
            for (Swap s : swaps) {
                Group g = s.group();
                md.append("| ").append(g.op().method()).append(" | ").append(g.dtype()).append(" | ")
                        .append(g.shape()).append(" | ").append(s.fast().backend()).append(" | ")
                        .append(s.slow().backend()).append(" | ").append(ratio(s.slow(), s.fast())).append(" | ")
                        .append(s.referenceSeparates() ? "yes" : "no").append(" | ")
                        .append(ratio(s.slowCandidate(), s.fastCandidate())).append(" | ")
                        .append(s.candidateSeparates() ? "yes" : "no").append(" | ")
                        .append(s.unreliable() ? "⚠ yes" : "no").append(" |\n");
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static String ratio(Measurement slow, Measurement fast) {
        return String.format(Locale.ROOT, "%.3f", slow.nsPerOp() / fast.nsPerOp());
    }

    /** @return "plain 1.00, ejml 7.31": each backend with its time over the fastest one's, a ⚠ on unreliable ones */
    private static String order(List<Measurement> fastestFirst) {
        double fastest = fastestFirst.get(0).nsPerOp();
        List<String> parts = new ArrayList<>();
        for (Measurement m : fastestFirst) {
            parts.add(m.backend() + String.format(Locale.ROOT, " %.2f", m.nsPerOp() / fastest)
                    + (m.unreliable() == null ? "" : " ⚠"));
        }
        return String.join(", ", parts);
    }

    /** @return the ranked figures grouped by (op, dtype, shape), each group fastest first, in report order */
    private static Map<String, List<Measurement>> groups(List<Measurement> all) {
        Map<String, List<Measurement>> out = new LinkedHashMap<>();
        all.stream().filter(m -> m.op().kind() != Op.Kind.REFERENCE && !m.kernels())
                .sorted(Comparator.comparing(Measurement::op).thenComparing(Measurement::dtype)
                        .thenComparing(ReportWriter.SHAPE_ORDER).thenComparing(Measurement::nsPerOp))
                .forEach(m -> out.computeIfAbsent(m.op() + " " + m.dtype() + " " + m.shapeLabel(),
                        k -> new ArrayList<>()).add(m));
        return out;
    }

    private static Measurement byBackend(List<Measurement> group, String backend) {
        for (Measurement m : group) {
            if (Objects.equals(m.backend(), backend)) {
                return m;
            }
        }
        return null;
    }

    private static List<String> names(List<Measurement> group) {
        return group.stream().map(Measurement::backend).toList();
    }
}
