package org.softmax4j.nd4j;

import java.util.Locale;

/**
 * Whether ND4J's CPU natives for this platform are on the class path, decided from class-path resources alone: no
 * ND4J or JavaCPP class is initialised and no native library is loaded, so discovery stays cheap (microseconds)
 * even on a machine where ND4J's first start would unpack about 400 MB of natives.
 */
final class NativeLibraries {

    /** JavaCPP's own override of the platform name, honoured the same way. */
    static final String PLATFORM_PROPERTY = "org.bytedeco.javacpp.platform";

    private NativeLibraries() {
    }

    /**
     * @return the JavaCPP platform name of this JVM ({@code linux-x86_64}, {@code macosx-arm64},
     * {@code windows-x86_64}, ...), computed as JavaCPP's {@code Loader.getPlatform()} does
     */
    static String platform() {
        String override = System.getProperty(PLATFORM_PROPERTY);
        if (override != null && !override.isBlank()) {
            return override.trim();
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).replaceAll("\\s", "");
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            os = "windows";
        } else if (os.startsWith("mac")) {
            os = "macosx";
        } else if (os.startsWith("linux")) {
            os = "linux";
        }
        arch = switch (arch) {
            case "amd64", "x86-64", "x86_64" -> "x86_64";
            case "i386", "i486", "i586", "i686", "x86" -> "x86";
            case "aarch64", "armv8", "arm64" -> "arm64";
            case "arm", "armv7l", "armhf" -> "armhf";
            default -> arch;
        };
        return os + "-" + arch;
    }

    /** @return the file name a JNI library {@code name} has on this platform */
    static String libraryFile(String platform, String name) {
        if (platform.startsWith("windows")) {
            return name + ".dll";
        }
        return "lib" + name + (platform.startsWith("macosx") ? ".dylib" : ".so");
    }

    /**
     * @return null if the ND4J CPU backend, its JNI library and OpenBLAS's for this platform are all on the class
     * path of {@code loader}, else the reason (naming the missing artifact)
     */
    static String unavailableReason(ClassLoader loader) {
        if (loader.getResource("org/nd4j/linalg/factory/Nd4j.class") == null) {
            return "ND4J is not on the class path (add org.nd4j:nd4j-native)";
        }
        String platform = platform();
        String nd4j = "org/nd4j/linalg/cpu/nativecpu/bindings/" + platform + "/" + libraryFile(platform, "jnind4jcpu");
        if (loader.getResource(nd4j) == null) {
            return "no ND4J native library for platform " + platform + " on the class path (add "
                    + "org.nd4j:nd4j-native:<version>:" + platform + ", or build with -Djavacpp.platform=" + platform
                    + ")";
        }
        String blas = "org/bytedeco/openblas/" + platform + "/" + libraryFile(platform, "jniopenblas_nolapack");
        if (loader.getResource(blas) == null) {
            return "no OpenBLAS native library for platform " + platform + " on the class path (add "
                    + "org.bytedeco:openblas:<version>:" + platform + ")";
        }
        return null;
    }
}
