/**
 * The {@code plain} softmax4j backend: the whole SPI in plain Java, no dependencies. Its float32 kernels run on the
 * Java Vector API when the JVM starts with {@code --add-modules jdk.incubator.vector} and on scalar code otherwise.
 *
 * <p>The Vector API module is optional and not named here: {@code PlainSoftmaxOps} adds the read edge at run time
 * when the module is in the boot layer. (A {@code requires static jdk.incubator.vector} would say the same, but makes
 * every javac and javadoc run over this module warn "using incubating module(s)" on JDK 17, with no option to turn
 * that one warning off.)
 *
 * @provides org.softmax4j.SoftmaxOps {@link org.softmax4j.plain.PlainSoftmaxOps}, named {@code plain}
 */
module org.softmax4j.plain {
    requires transitive org.softmax4j.api;
    requires org.softmax4j.kernels;

    exports org.softmax4j.plain;

    provides org.softmax4j.SoftmaxOps with org.softmax4j.plain.PlainSoftmaxOps;
}
