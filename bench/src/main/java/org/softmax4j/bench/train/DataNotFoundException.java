package org.softmax4j.bench.train;

import java.io.IOException;

/** The MNIST-format files are not where they were looked for; the message says how to get them. */
public class DataNotFoundException extends IOException {

    private static final long serialVersionUID = 1L;

    public DataNotFoundException(String message) {
        super(message);
    }
}
