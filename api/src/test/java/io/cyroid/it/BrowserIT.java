package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.http.MediaType;

/**
 * The web UI in Debian's Chromium, headless, driven through Debian's chromedriver, against the whole server on the
 * real engine: sign in (a wrong password first), deploy the sample from pasted YAML, see DEPLOYED arrive on the list
 * without a reload, the VMs' IPs on the range page, a VM's terminal console (typing {@code hostname} shows the VM's
 * host name), a broken blueprint's error beside the YAML, a failed deploy's step and engine error, the deploy in the
 * audit log, the destroy, the list on a narrow screen. A screenshot of every step goes to target/screenshots (a failed step's too).
 */
class BrowserIT extends ServerOnRealEngine {

    static final Duration DEPLOY = Duration.ofSeconds(240);
    static final Duration QUICK = Duration.ofSeconds(30);
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    /** Installed by the api module's npm step (api/src/main/frontend, devDependencies). */
    static final Path AXE = Path.of("target", "frontend", "node_modules", "axe-core", "axe.min.js");
    static final String HOSTNAME = "it-web-host";

    WebDriver browser;
    String base;
    final AtomicInteger steps = new AtomicInteger();

    @BeforeEach
    void startBrowser() throws IOException {
        assertThat(new File(CHROMIUM)).as("Debian's chromium (scripts/ensure-build-tools.sh)").isFile();
        assertThat(new File(CHROMEDRIVER)).as("Debian's chromium-driver (scripts/ensure-build-tools.sh)").isFile();
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions();
        // the binary and the driver named: Selenium Manager has nothing to look up or download
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        base = "http://127.0.0.1:" + port;
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aTrainerDeploysWatchesAuditsAndDestroysARangeInTheBrowser() {
        step("sign-in-refused", () -> {
            browser.get(base + "/");
            signIn("admin", "not-the-password");
            assertThat(until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-error")), QUICK).getText())
                    .contains("not accepted");
        });
        step("signed-in", () -> {
            signIn("admin", PASSWORD);
            until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Ranges"), QUICK);
            assertThat(browser.findElement(By.id("who-name")).getText()).isEqualTo("admin");
            // the heading took the focus (screen readers start there)
            assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Ranges");
        });

        String[] rangeId = new String[1];
        step("deploy-requested", () -> {
            browser.findElement(By.linkText("Deploy")).click();
            until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Deploy a range"), QUICK);
            // a host name of its own, so that seeing it in the terminal cannot be an echo of anything typed
            paste(browser.findElement(By.id("yaml-text")), sampleBlueprint("it-browser-lan")
                    .replace("hostname: web\n", "hostname: " + HOSTNAME + "\n"));
            browser.findElement(By.id("yaml-name")).sendKeys("browser-lan");
            browser.findElement(By.id("deploy-yaml-submit")).click();
            until(ExpectedConditions.urlMatches("#/ranges/[^/]+$"), QUICK);
            rangeId[0] = browser.getCurrentUrl().replaceAll(".*#/ranges/", "");
            api.requested.add(rangeId[0]);
            until(ExpectedConditions.textToBe(By.id("range-heading"), "Range browser-lan"), QUICK);
            // while it deploys, the progress bar shows (for the screenshot; a quick deploy may be past it already)
            until(driver -> driver.findElement(By.id("range-progress")).isDisplayed()
                    || driver.findElement(By.id("range-status")).getText().equals("DEPLOYED"), QUICK);
        });

        step("list-deployed-live", () -> {
            // a mark in the page: a reload would wipe it
            js("window.cyroidPageMark = 'same page';");
            browser.findElement(By.linkText("Ranges")).click();
            until(ExpectedConditions.textToBe(By.id("status-" + rangeId[0]), "DEPLOYED"), DEPLOY);
            assertThat(js("return window.cyroidPageMark;")).isEqualTo("same page");
            eventually(() -> assertThat(browser.findElement(By.id("status-" + rangeId[0])).getAttribute("data-status"))
                    .isEqualTo("DEPLOYED"));
        });

        step("range-page", () -> {
            browser.findElement(By.linkText("browser-lan")).click();
            until(ExpectedConditions.textToBe(By.id("range-status"), "DEPLOYED"), QUICK);
            List<String> expected = new ArrayList<>();
            for (JsonNode vm : api.range(rangeId[0]).get("vms")) {
                vm.get("interfaces").forEach(nic -> expected.add(vm.get("name").asText() + " " + nic.get("ip")
                        .asText()));
            }
            assertThat(expected).contains("web 10.0.1.10", "web 10.0.2.10", "db 10.0.1.20");
            until(driver -> shownIps().containsAll(expected), QUICK);
            until(ExpectedConditions.textToBePresentInElementLocated(By.id("events-table"), "RangeDeployed"), QUICK);
            // the page redraws on every change: each check is read again until it holds (or the time is up)
            eventually(() -> {
                assertThat(browser.findElement(By.id("networks-table")).getText())
                        .contains("10.0.1.0/24", "10.0.2.0/24");
                assertThat(browser.findElements(By.cssSelector("#vms-table button"))).extracting(WebElement::getText)
                        .contains("Start", "Stop", "Restart", "Reset");
                // a running VM cannot be started again: that button is off, stopping is on
                assertThat(browser.findElement(By.cssSelector("button[aria-label='Start VM web']")).isEnabled())
                        .isFalse();
                assertThat(browser.findElement(By.cssSelector("button[aria-label='Stop VM web']")).isEnabled())
                        .isTrue();
                assertThat(browser.findElement(By.id("timeline-table")).getText()).contains("CREATE_DIND", "START_VM");
            });
            saveScreenshotAs("range-page");
        });

        step("terminal-console", () -> {
            WebElement open = until(ExpectedConditions.elementToBeClickable(
                    By.cssSelector("button[aria-label='Open console of VM web']")), QUICK);
            open.click();
            until(ExpectedConditions.textToBePresentInElementLocated(By.id("console-status"),
                    "Connected to the terminal of web"), QUICK);
            assertThat(browser.findElement(By.id("console-heading")).getText()).isEqualTo("Console of VM web");
            assertThat(browser.findElement(By.id("console-tab-terminal")).getAttribute("aria-selected"))
                    .isEqualTo("true");
            // the sample's web VM has no graphical console: no such tab
            assertThat(browser.findElement(By.id("console-tab-vnc")).isDisplayed()).isFalse();
            // the keyboard is in the terminal at once
            WebElement keys = browser.switchTo().activeElement();
            assertThat(keys.getAttribute("class")).contains("xterm-helper-textarea");
            keys.sendKeys("hostname");
            until(driver -> terminalLines().stream().anyMatch(line -> line.endsWith("hostname")), QUICK);
            // the control: the VM's answer is not there before Enter
            assertThat(terminalLines()).doesNotContain(HOSTNAME);
            keys.sendKeys(Keys.ENTER);
            until(driver -> terminalLines().contains(HOSTNAME), QUICK);
            // the terminal's size reached the VM (the resize control message): stty says what the page fitted
            String size = browser.findElement(By.id("terminal")).getAttribute("data-size");
            assertThat(size).matches("\\d+ \\d+").isNotEqualTo("24 80");
            keys.sendKeys("stty size" + Keys.ENTER);
            until(driver -> terminalLines().contains(size), QUICK);
            saveScreenshotAs("terminal-console");
            browser.findElement(By.id("console-close")).click();
            assertThat(browser.findElement(By.id("console")).isDisplayed()).isFalse();
        });

        step("broken-yaml", () -> {
            browser.findElement(By.linkText("Deploy")).click();
            WebElement yaml = until(ExpectedConditions.visibilityOfElementLocated(By.id("yaml-text")), QUICK);
            paste(yaml, """
                    name: it-browser-broken
                    networks: [{name: lan, subnet: 10.0.1.0/24, gateway: 10.0.1.1}]
                    vms:
                      - {name: web, interfaces: [{network: lan, ip: 10.0.1.10}]}
                    """);
            browser.findElement(By.id("yaml-name")).sendKeys("broken");
            browser.findElement(By.id("deploy-yaml-submit")).click();
            WebElement errors = until(ExpectedConditions.visibilityOfElementLocated(By.id("yaml-errors")), QUICK);
            assertThat(errors.getText()).contains("vms[0].image");
            assertThat(yaml.getAttribute("aria-invalid")).isEqualTo("true");
            // beside the YAML box, not beside the range name: that one is fine
            assertThat(browser.findElement(By.id("yaml-name-errors")).isDisplayed()).isFalse();
            assertThat(browser.getCurrentUrl()).endsWith("#/deploy");
        });

        String[] failedId = new String[1];
        step("failed-deploy", () -> {
            paste(browser.findElement(By.id("yaml-text")), """
                    name: it-browser-missing-image
                    networks: [{name: lan, subnet: 10.0.1.0/24, gateway: 10.0.1.1}]
                    vms:
                      - {name: ghost, image: "%s", interfaces: [{network: lan, ip: 10.0.1.10}]}
                    """.formatted(AuditIT.MISSING));
            WebElement name = browser.findElement(By.id("yaml-name"));
            name.clear();
            name.sendKeys("browser-missing");
            browser.findElement(By.id("deploy-yaml-submit")).click();
            until(ExpectedConditions.urlMatches("#/ranges/[^/]+$"), QUICK);
            failedId[0] = browser.getCurrentUrl().replaceAll(".*#/ranges/", "");
            api.requested.add(failedId[0]);
            until(ExpectedConditions.textToBe(By.id("range-status"), "FAILED"), DEPLOY);
            // the failed step and the engine's words, and the progress bar stopped at the images
            until(ExpectedConditions.textToBe(By.id("failed-step"), "SEED_IMAGES"), QUICK);
            eventually(() -> {
                assertThat(browser.findElement(By.id("failed-detail")).getText()).contains(AuditIT.MISSING);
                assertThat(browser.findElement(By.cssSelector("#range-progress li[data-state='failed']")).getText())
                        .startsWith("Images");
            });
            until(ExpectedConditions.textToBePresentInElementLocated(By.id("events-table"), "RangeDeploymentFailed"),
                    QUICK);
        });

        step("audit", () -> {
            browser.findElement(By.linkText("Audit")).click();
            WebElement range = until(ExpectedConditions.visibilityOfElementLocated(By.id("audit-range")), QUICK);
            range.sendKeys(rangeId[0]);
            browser.findElement(By.id("audit-action")).sendKeys("RangeRequested");
            browser.findElement(By.id("audit-apply")).click();
            until(ExpectedConditions.textToBe(By.id("audit-summary"), "1 entries; page 1 of 1."), QUICK);
            eventually(() -> assertThat(browser.findElement(By.id("audit-table")).getText())
                    .contains("RangeRequested", "admin"));
            // the control: a filter that matches nothing shows nothing
            browser.findElement(By.id("audit-action")).sendKeys("Nope");
            browser.findElement(By.id("audit-apply")).click();
            until(ExpectedConditions.textToBe(By.id("audit-summary"), "0 entries; page 1 of 1."), QUICK);
            browser.findElement(By.id("audit-action")).clear();
            browser.findElement(By.id("audit-apply")).click();
            until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-table"), "RangeDeployed"), QUICK);
        });

        step("destroyed", () -> {
            browser.findElements(By.linkText(rangeId[0])).get(0).click(); // from the audit entry to the range
            until(ExpectedConditions.textToBe(By.id("range-status"), "DEPLOYED"), QUICK);
            browser.findElement(By.id("destroy")).click();
            until(ExpectedConditions.elementToBeClickable(By.id("destroy-confirm")), QUICK).click();
            until(ExpectedConditions.textToBe(By.id("range-status"), "DESTROYED"), DEPLOY);
            assertThat(api.range(rangeId[0]).get("status").asText()).isEqualTo("DESTROYED");
        });

        step("auditor-view", () -> {
            api.web.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("username", "audrey", "password", "a long passphrase", "roles",
                            List.of("AUDITOR"))).exchange().expectStatus().isCreated();
            browser.findElement(By.id("sign-out")).click();
            signIn("audrey", "a long passphrase");
            // back on the page where the admin signed out
            until(ExpectedConditions.textToBe(By.id("range-heading"), "Range browser-lan"), QUICK);
            assertThat(browser.findElement(By.id("who-name")).getText()).isEqualTo("audrey");
            // an auditor reads the audit log but deploys nothing: Deploy is hidden, Audit is there
            assertThat(browser.findElement(By.id("nav-deploy")).isDisplayed()).isFalse();
            assertThat(browser.findElement(By.id("nav-audit")).isDisplayed()).isTrue();
            until(ExpectedConditions.textToBe(By.id("range-status"), "DESTROYED"), QUICK);
            assertThat(browser.findElements(By.id("redeploy"))).isEmpty();
            // the control: the admin sees that button on the same page
            browser.findElement(By.id("sign-out")).click();
            signIn("admin", PASSWORD);
            until(ExpectedConditions.textToBe(By.id("range-status"), "DESTROYED"), QUICK);
            assertThat(browser.findElements(By.id("redeploy"))).hasSize(1);
        });

        step("narrow-screen", () -> {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 800));
            browser.findElement(By.linkText("Ranges")).click();
            until(ExpectedConditions.textToBe(By.id("status-" + rangeId[0]), "DESTROYED"), QUICK);
            // no sideways scrolling of the page itself (wide tables scroll in their own box)
            assertThat((Long) js("return document.documentElement.scrollWidth - window.innerWidth;"))
                    .isLessThanOrEqualTo(0L);
        });

        step("only-this-server", () -> {
            @SuppressWarnings("unchecked")
            List<String> loaded = (List<String>) js(
                    "return performance.getEntriesByType('resource').map(entry => entry.name);");
            assertThat(loaded).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(base + "/"));
        });
    }

    @Test
    void theGraphicalConsoleOfTheSampleDesktopShowsTheDesktop() {
        String blueprintId = api.registerBlueprint(VncConsoleIT.blueprint().replace("name: it-vnc\n",
                "name: it-browser-desktop\n"));
        String rangeId = api.requestRange(blueprintId, "desktop-lab");
        api.awaitStatus(rangeId, "DEPLOYED", DEPLOY);
        step("graphical-console", () -> {
            browser.get(base + "/#/ranges/" + rangeId);
            signIn("admin", PASSWORD);
            until(ExpectedConditions.textToBe(By.id("range-status"), "DEPLOYED"), QUICK);
            long colours = openGraphicalConsoleAndCountColours("desktop");
            // the desktop image's root window colour is on the page's canvas, not only "some colours"
            eventually(() -> assertThat((Boolean) js("""
                    const canvas = document.querySelector('#vnc-screen canvas');
                    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                    for (let i = 0; i < data.length; i += 4) {
                      if (data[i] === 0x2e && data[i + 1] === 0x5e && data[i + 2] === 0x7e) return true;
                    }
                    return false;""")).as("the root window's colour #2e5e7e on the canvas").isTrue());
            System.out.printf("graphical console in the browser: %d colours sampled%n", colours);
            saveScreenshotAs("graphical-console");
        });
        step("no-graphical-tab-without-vnc", () -> {
            // the control: the busybox VM declares no graphical console, so its console has no such tab
            browser.findElement(By.id("console-close")).click();
            until(ExpectedConditions.elementToBeClickable(By.cssSelector(
                    "button[aria-label='Open console of VM server']")), QUICK).click();
            until(ExpectedConditions.textToBePresentInElementLocated(By.id("console-status"),
                    "Connected to the terminal of server"), QUICK);
            assertThat(browser.findElement(By.id("console-tab-vnc")).isDisplayed()).isFalse();
            browser.findElement(By.id("console-close")).click();
        });
        api.destroy(rangeId);
        api.awaitStatus(rangeId, "DESTROYED", DEPLOY);
    }

    @Test
    void anAdminCreatesATraineeAndAssignsThemARange() {
        String blueprintId = api.registerBlueprint(sampleBlueprint("it-browser-people"));
        String rangeId = api.requestRange(blueprintId, "people-lan");
        step("users-view", () -> {
            browser.get(base + "/");
            signIn("admin", PASSWORD);
            until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Ranges"), QUICK);
            browser.findElement(By.linkText("Users")).click();
            until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Users"), QUICK);
            until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#users-table tr[data-user='admin']")),
                    QUICK);
        });
        step("user-refused-field", () -> {
            browser.findElement(By.id("user-name")).sendKeys("tina");
            browser.findElement(By.id("user-password")).sendKeys("short");
            browser.findElement(By.id("user-role-trainee")).click();
            browser.findElement(By.id("user-create")).click();
            // the server's reason, beside the password field, and the field marked
            assertThat(until(ExpectedConditions.visibilityOfElementLocated(By.id("user-password-errors")), QUICK)
                    .getText()).isNotBlank();
            assertThat(browser.findElement(By.id("user-password")).getAttribute("aria-invalid")).isEqualTo("true");
            assertThat(browser.findElements(By.cssSelector("#users-table tr[data-user='tina']"))).isEmpty();
        });
        step("user-created", () -> {
            WebElement password = browser.findElement(By.id("user-password"));
            password.clear();
            password.sendKeys("a long trainee passphrase");
            browser.findElement(By.id("user-create")).click();
            until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#users-table tr[data-user='tina']")),
                    QUICK);
            assertThat(browser.findElement(By.cssSelector("#users-table tr[data-user='tina']")).getText())
                    .contains("TRAINEE");
        });
        step("range-assigned", () -> {
            browser.get(base + "/#/ranges/" + rangeId);
            until(ExpectedConditions.textToBe(By.id("range-heading"), "Range people-lan"), QUICK);
            WebElement who = until(ExpectedConditions.visibilityOfElementLocated(By.id("assign-user")), QUICK);
            who.sendKeys("tina");
            browser.findElement(By.id("assign-submit")).click();
            until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#assignees li[data-user='tina']")), QUICK);
            assertThat(api.range(rangeId).get("assignees").toString()).contains("tina");
        });
        step("trainee-sees-range", () -> {
            browser.findElement(By.id("sign-out")).click();
            signIn("tina", "a long trainee passphrase");
            until(ExpectedConditions.textToBe(By.id("range-heading"), "Range people-lan"), QUICK);
            // a trainee manages nobody: no Users, no Deploy, no assignment panel
            assertThat(browser.findElement(By.id("nav-users")).isDisplayed()).isFalse();
            assertThat(browser.findElement(By.id("nav-deploy")).isDisplayed()).isFalse();
            assertThat(browser.findElement(By.id("range-people")).isDisplayed()).isFalse();
            browser.findElement(By.linkText("Ranges")).click();
            until(ExpectedConditions.presenceOfElementLocated(By.linkText("people-lan")), QUICK);
        });
        step("unassigned", () -> {
            api.web.delete().uri("/api/v1/ranges/{id}/assignments/tina", rangeId).exchange().expectStatus()
                    .is2xxSuccessful();
            // the control: once unassigned, the same trainee no longer sees the range
            browser.findElement(By.id("sign-out")).click();
            signIn("tina", "a long trainee passphrase");
            until(ExpectedConditions.visibilityOfElementLocated(By.id("who-name")), QUICK);
            browser.findElement(By.linkText("Ranges")).click();
            until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Ranges"), QUICK);
            eventually(() -> assertThat(browser.findElements(By.linkText("people-lan"))).isEmpty());
        });
    }

    private void signIn(String user, String password) {
        WebElement name = until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-user")), QUICK);
        name.clear();
        name.sendKeys(user);
        WebElement secret = browser.findElement(By.id("sign-in-password"));
        secret.clear();
        secret.sendKeys(password);
        browser.findElement(By.id("sign-in-submit")).click();
    }

    /** Text typed as a paste would put it (typing YAML key by key takes long and proves nothing more). */
    private void paste(WebElement area, String text) {
        area.clear();
        js("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", area, text);
    }

    /** "vm ip" for every address the VMs table shows. */
    private List<String> shownIps() {
        List<String> shown = new ArrayList<>();
        for (WebElement row : browser.findElements(By.cssSelector("#vms-table tbody tr"))) {
            String vm = row.getAttribute("data-vm");
            row.findElements(By.cssSelector("li.ip .mono")).forEach(ip -> shown.add(vm + " " + ip.getText()));
        }
        return shown;
    }

    /** The terminal's rows as text, trimmed (xterm.js draws them as DOM rows); empty rows left out. */
    private List<String> terminalLines() {
        @SuppressWarnings("unchecked")
        List<String> lines = (List<String>) js("return Array.from(document.querySelectorAll('#terminal .xterm-rows >"
                + " div')).map(row => row.textContent.replace(/\\u00a0/g, ' ').trim()).filter(row => row);");
        return lines;
    }

    /**
     * For the graphical console's check once the /vnc endpoint and a desktop sample exist: opens the graphical tab
     * of {@code vm} and waits until noVNC is connected and its canvas shows more than one colour (a desktop, not a
     * blank screen). Answers the number of distinct colours sampled.
     */
    @SuppressWarnings("unused")
    private long openGraphicalConsoleAndCountColours(String vm) {
        until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[aria-label='Open console of VM " + vm
                + "']")), QUICK).click();
        until(ExpectedConditions.elementToBeClickable(By.id("console-tab-vnc")), QUICK).click();
        until(ExpectedConditions.textToBePresentInElementLocated(By.id("console-status"),
                "Connected to the graphical console of " + vm), DEPLOY);
        long[] colours = new long[1];
        eventually(() -> {
            colours[0] = (Long) js("""
                    const canvas = document.querySelector('#vnc-screen canvas');
                    if (!canvas || !canvas.width) return 0;
                    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                    const seen = new Set();
                    for (let i = 0; i < data.length; i += 4 * 97) seen.add(data[i] + ',' + data[i + 1] + ',' + data[i + 2]);
                    return seen.size;""");
            assertThat(colours[0]).as("colours on the graphical console").isGreaterThan(1);
        });
        return colours[0];
    }

    /**
     * axe-core's WCAG 2 A and AA rules on the page as the step left it: no serious or critical violation. axe-core
     * comes from the build's npm step (a devDependency, never served); it is injected here, not loaded by the page.
     */
    @SuppressWarnings("unchecked")
    private void accessible(String step) {
        try {
            if (!Boolean.TRUE.equals(js("return typeof window.axe === 'object';"))) {
                js(Files.readString(AXE));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("axe-core from the npm step (mvn generate-resources)", e);
        }
        List<String> violations = (List<String>) ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
                    resultTypes: ['violations'] })
                  .then(result => done(result.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
                      + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))
                  .catch(e => done(['axe-core failed: ' + e]));""");
        assertThat(violations).as("accessibility after step %s (axe-core, WCAG 2.1 A/AA)", step).isEmpty();
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private <T> T until(java.util.function.Function<? super WebDriver, T> condition, Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser, timeout, Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class); // an element the page redrew meanwhile: look again
        return wait.until(condition);
    }

    /** Assertions on a page that redraws itself: read again until they hold, for QUICK at most. */
    private void eventually(ThrowingRunnable assertions) {
        await().atMost(QUICK).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(StaleElementReferenceException.class).untilAsserted(assertions);
    }

    /** Runs one step and keeps a screenshot of how it ended, failed or not. */
    private void step(String name, Runnable step) {
        String file = "%02d-%s".formatted(steps.incrementAndGet(), name);
        try {
            step.run();
            accessible(name);
        } catch (RuntimeException | AssertionError e) {
            saveScreenshotAs(file + "-FAILED");
            throw e;
        }
        saveScreenshotAs(file);
    }

    private void saveScreenshotAs(String name) {
        try {
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
