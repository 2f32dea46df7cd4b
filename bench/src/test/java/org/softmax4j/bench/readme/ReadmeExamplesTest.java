package org.softmax4j.bench.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's Java snippets are these sources, quoted whole (without the package line): this test fails when the
 * README and the compiled source differ, and runs the first example; {@code TwoLayerClassifierTest} runs the
 * training loop.
 */
class ReadmeExamplesTest {

    private static final Path README = Path.of("..", "README.md");

    /** @return the source file from its first import on, as the README quotes it */
    static String quoted(Path source) throws IOException {
        String text = Files.readString(source);
        return text.substring(text.indexOf("import "));
    }

    static void assertReadmeQuotes(Path source) throws IOException {
        String readme = Files.readString(README);
        String quoted = quoted(source);
        assertTrue(readme.contains("```java\n" + quoted + "```\n"),
                () -> "README.md must quote " + source + " from its first import to its end, in a ```java block:\n"
                        + quoted);
    }

    @Test
    void theReadmeQuotesTheFirstExample() throws IOException {
        assertReadmeQuotes(Path.of("src/test/java/org/softmax4j/bench/readme/Example.java"));
    }

    @Test
    void theReadmeQuotesTheTrainingLoop() throws IOException {
        assertReadmeQuotes(Path.of("src/main/java/org/softmax4j/bench/train/TwoLayerClassifier.java"));
    }

    @Test
    void theFirstExamplePrintsWhatItsCommentsSay() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            Example.main(new String[0]);
        } finally {
            System.setOut(saved);
        }
        String[] lines = buffer.toString(StandardCharsets.UTF_8).split("\\R");
        assertTrue(lines[0].startsWith("[0.011656230956"), lines[0]);
        assertTrue(lines[0].endsWith("0.6364086465588308]"), lines[0]);
        assertEquals("[0.0, 0.0, 0.0, 0.0, 1.0]", lines[1]);
        assertTrue(lines[2].startsWith("1.3135069 [0.7308793357"), lines[2]);
        assertEquals("9", lines[3]);
        assertEquals("2.3025851", lines[4]);
    }
}
