package dev.skynetbridge.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.devtools.DevTools;
import org.openqa.selenium.devtools.v156.log.Log;
import org.openqa.selenium.devtools.v156.log.model.LogEntry;
import org.openqa.selenium.devtools.v156.runtime.Runtime;
import org.openqa.selenium.devtools.v156.runtime.model.ConsoleAPICalled;

/**
 * Debian's headless Chromium driven by its chromedriver (no download: both come from the packages .ci/run installs),
 * with the page's console errors and uncaught exceptions collected through the DevTools protocol.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final Path BROWSER = Path.of(System.getProperty("skynet.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("skynet.chromedriver", "/usr/bin/chromedriver"));

    private final ChromeDriver driver;
    private final DevTools devTools;
    private final List<String> errors = new ArrayList<>();

    private HeadlessChromium(int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        // Root in a container: no sandbox; a small /dev/shm: no shared memory for the renderer.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
        devTools = driver.getDevTools();
        devTools.createSession();
        devTools.send(Log.enable());
        devTools.send(Runtime.enable());
        devTools.addListener(Log.entryAdded(), entry -> {
            if (entry.getLevel() == LogEntry.Level.ERROR) {
                record("console: " + entry.getText() + entry.getUrl().map(url -> " (" + url + ")").orElse(""));
            }
        });
        devTools.addListener(Runtime.consoleAPICalled(), call -> {
            if (call.getType() == ConsoleAPICalled.Type.ERROR) {
                record("console.error: " + call.getArgs());
            }
        });
        devTools.addListener(Runtime.exceptionThrown(), thrown -> record("exception: "
                + thrown.getExceptionDetails().getText() + " "
                + thrown.getExceptionDetails().getException().flatMap(e -> e.getDescription()).orElse("")));
    }

    /** Whether chromium and chromedriver are installed here. */
    public static boolean isAvailable() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    /**
     * Skips the calling test on a developer machine without Chromium, but fails it under CI (CI=true): .ci/run
     * installs chromium and chromium-driver, so a skip there would hide a broken set-up.
     */
    public static void assumeAvailable() {
        RequiredTool.assumeInstalled(isAvailable(), String.valueOf(BROWSER + " or " + DRIVER), "chromium and chromium-driver");
    }

    public static HeadlessChromium start(int width, int height) {
        return new HeadlessChromium(width, height);
    }

    public ChromeDriver driver() {
        return driver;
    }

    private synchronized void record(String error) {
        errors.add(error);
    }

    /** Console errors and uncaught exceptions since the last call; clears them. */
    public synchronized List<String> takeErrors() {
        List<String> taken = List.copyOf(errors);
        errors.clear();
        return taken;
    }

    public void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    public void screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            devTools.close();
        } finally {
            driver.quit();
        }
    }
}
