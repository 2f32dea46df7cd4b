package org.softmax4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command-line runner prints for a failed case (its note) and for a case file that is not there. */
class ConformanceRunnerTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ConformanceRunner.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aFailedCasePrintsItsNote(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("wrong.json");
        Files.writeString(file, "{\"cases\": [{\"id\": \"wrong on purpose\", \"op\": \"softmax\", \"dtype\": \"float64\","
                + " \"rows\": 1, \"cols\": 2, \"inputs\": {\"x\": [0.0, 0.0]}, \"expected\": {\"y\": [0.25, 0.75]},"
                + " \"note\": \"the expected values are not a softmax\"}]}");
        assertEquals(1, run("--backend", "plain", file.toString()), err::toString);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("FAIL [plain] wrong on purpose softmax float64: y: 2 of 2 values out of bound"), printed);
        assertTrue(printed.contains("\n  note: the expected values are not a softmax\n"), printed);
        assertTrue(printed.contains("[plain] 0 passed, 1 failed"), printed);
    }

    @Test
    void aMissingCaseFileIsNamedAsNotFound(@TempDir Path dir) {
        Path missing = dir.resolve("missing.json");
        assertEquals(2, run("--backend", "plain", missing.toString()));
        assertEquals("cannot read the cases: file not found: " + missing, err.toString(StandardCharsets.UTF_8).strip());
    }
}
