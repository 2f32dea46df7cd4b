package org.softmax4j.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The sentence a kit group or test is reported under, after the backend's name: {@link BackendDisplayNames} turns it
 * into "[plain] sentence". Used instead of JUnit's {@code @DisplayName}, which would bypass the generator and drop the
 * backend from the name.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@interface KitName {
    String value();
}
