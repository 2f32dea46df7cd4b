package org.softmax4j.bench.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.softmax4j.bench.train.TrainingResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The files of one run: JMH's own JSON, the training results, the run facts, and the report rendered from them.
 *
 * @param dir the folder
 */
public record ResultsFolder(Path dir) {

    public static final String JMH_JSON = "jmh.json";
    /** JMH's own text output, the forks' included. */
    public static final String JMH_LOG = "jmh.log";
    public static final String TRAINING_JSON = "training.json";
    public static final String RUN_JSON = "run.json";
    public static final String ALLOCATION_JSON = "allocation.json";
    public static final String REPORT_MD = "report.md";
    public static final String CHART_PNG = "throughput.png";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** @return {@code results/<yyyyMMdd-HHmmss>} under the working directory */
    public static ResultsFolder timestamped() {
        return new ResultsFolder(Path.of("results",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
    }

    /** Creates the folder (and its parents) if needed. */
    public ResultsFolder create() throws IOException {
        Files.createDirectories(dir);
        return this;
    }

    public Path jmhJson() {
        return dir.resolve(JMH_JSON);
    }

    public Path jmhLog() {
        return dir.resolve(JMH_LOG);
    }

    public Path trainingJson() {
        return dir.resolve(TRAINING_JSON);
    }

    public Path runJson() {
        return dir.resolve(RUN_JSON);
    }

    public Path allocationJson() {
        return dir.resolve(ALLOCATION_JSON);
    }

    public Path report() {
        return dir.resolve(REPORT_MD);
    }

    public Path chart() {
        return dir.resolve(CHART_PNG);
    }

    public void writeTraining(List<TrainingResult> results) throws IOException {
        JSON.writeValue(trainingJson().toFile(), results);
    }

    /** @return the training results, empty if the run did not train */
    public List<TrainingResult> readTraining() throws IOException {
        if (!Files.exists(trainingJson())) {
            return List.of();
        }
        return JSON.readValue(trainingJson().toFile(), new TypeReference<List<TrainingResult>>() {
        });
    }

    public void writeAllocations(List<Allocation> allocations) throws IOException {
        JSON.writeValue(allocationJson().toFile(), allocations);
    }

    /** @return the allocation probe's figures, empty if it did not run */
    public List<Allocation> readAllocations() throws IOException {
        if (!Files.exists(allocationJson())) {
            return List.of();
        }
        return JSON.readValue(allocationJson().toFile(), new TypeReference<List<Allocation>>() {
        });
    }

    public void writeRunInfo(RunInfo info) throws IOException {
        JSON.writeValue(runJson().toFile(), info);
    }

    public RunInfo readRunInfo() throws IOException {
        return JSON.readValue(runJson().toFile(), RunInfo.class);
    }

    /** @return the JMH measurements, empty if the run did not benchmark */
    public List<Measurement> readMeasurements() throws IOException {
        return Files.exists(jmhJson()) ? JmhResults.fromJson(jmhJson()) : List.of();
    }
}
