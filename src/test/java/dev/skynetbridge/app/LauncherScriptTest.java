package dev.skynetbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/skynet-bridge, the README's run command, on this machine's java: the JVM accepts its options, the user's
 * JAVA_OPTS come after them (and so win), the arguments pass through, and the class-data archive is used only when it
 * is not older than the jar. The jar here is a stand-in whose main prints what the JVM was started with.
 */
class LauncherScriptTest {

    private static final Path LAUNCHER = Path.of("bin/skynet-bridge");

    @TempDir
    Path folder;

    @Test
    void startsTheJarWithItsTuningAndPassesTheArguments() throws Exception {
        Path jar = standInJar();
        List<String> printed = run(jar, Map.of(), "validate", "two words");

        assertThat(printed).contains("arg=validate", "arg=two words");
        assertThat(printed).contains("jvm=-XX:Tier4InvocationThreshold=50000", "jvm=-XX:MarkStackSize=256k");
        assertThat(printed).contains("flag Tier4InvocationThreshold=50000");
        assertThat(printed).noneMatch(line -> line.startsWith("jvm=-XX:SharedArchiveFile"));
    }

    @Test
    void javaOptsComeLastSoTheUserWins() throws Exception {
        Path jar = standInJar();
        List<String> printed = run(jar, Map.of("JAVA_OPTS", "-XX:Tier4InvocationThreshold=7000 -Dskynet.probe=1"));

        assertThat(printed).contains("flag Tier4InvocationThreshold=7000", "jvm=-Dskynet.probe=1");
    }

    @Test
    void usesTheArchiveOnlyWhenItIsNotOlderThanTheJar() throws Exception {
        Path jar = standInJar();
        Path archive = folder.resolve("stand-in.jsa");
        Files.writeString(archive, "not really an archive: -Xshare:auto skips it");

        Files.setLastModifiedTime(archive, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));
        assertThat(run(jar, Map.of())).contains("jvm=-XX:SharedArchiveFile=" + archive);

        Files.setLastModifiedTime(archive, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 5_000));
        assertThat(run(jar, Map.of())).noneMatch(line -> line.startsWith("jvm=-XX:SharedArchiveFile"));
    }

    @Test
    void saysHowToBuildWhenTheJarIsMissing() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", LAUNCHER.toString()).redirectErrorStream(true);
        builder.environment().put("SKYNET_JAR", folder.resolve("missing.jar").toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("mvn -q -B -DskipTests package");
    }

    private List<String> run(Path jar, Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("JAVA_OPTS");
        builder.environment().put("SKYNET_JAR", jar.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().toList();
    }

    /** A jar whose main is {@link PrintsItsJvm}, found through the manifest's Class-Path (the test classes). */
    private Path standInJar() throws IOException {
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.put(Attributes.Name.MAIN_CLASS, PrintsItsJvm.class.getName());
        Path classes = Path.of(PrintsItsJvm.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        attributes.put(Attributes.Name.CLASS_PATH, classes.toUri().toString());
        Path jar = folder.resolve("stand-in.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // only the manifest
        }
        return jar;
    }

    /** The stand-in gateway: prints its arguments, its JVM options and one flag's effective value. */
    public static final class PrintsItsJvm {
        public static void main(String[] arguments) {
            for (String argument : arguments) {
                System.out.println("arg=" + argument);
            }
            for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                System.out.println("jvm=" + option);
            }
            com.sun.management.HotSpotDiagnosticMXBean hotSpot =
                    ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            System.out.println("flag Tier4InvocationThreshold=" + hotSpot.getVMOption("Tier4InvocationThreshold").getValue());
        }
    }
}
