package org.softmax4j.bench.train;

import java.io.IOException;

/** An IDX file that is not what its header or its name promises: bad magic, wrong dimensions, truncated. */
public class IdxFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public IdxFormatException(String message) {
        super(message);
    }
}
