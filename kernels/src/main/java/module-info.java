/**
 * Internal, not an API: the exact scalar row kernels shared by the softmax4j backends. Exported only to them.
 */
module org.softmax4j.kernels {
    requires transitive org.softmax4j.api;

    // ejml and nd4j are automatic modules (Automatic-Module-Name in their manifests); javac cannot see them when it
    // compiles this module, hence -Xlint:-module in this module's pom
    exports org.softmax4j.kernels to org.softmax4j.plain, org.softmax4j.ejml, org.softmax4j.nd4j;
}
