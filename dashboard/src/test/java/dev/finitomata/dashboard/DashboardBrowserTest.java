package dev.finitomata.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.finitomata.Counter;
import dev.finitomata.Finitomata;
import dev.finitomata.FsmQuery;
import dev.finitomata.FsmSummary;
import dev.finitomata.RecordingFsm;
import dev.finitomata.TicketFsm;
import dev.finitomata.forks.ApplicantFsm;
import dev.finitomata.forks.DocumentFsm;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's Chromium, headless, driven by Selenium through Debian's ChromeDriver
 * (set explicitly, so Selenium Manager downloads nothing; the build installs both when missing,
 * {@code dashboard/browser/ensure-chromium.sh}). What a person sees: the diagram is drawn, the counts are
 * {@code countByState()}'s, a state's FSMs are listed oldest first, one FSM's page shows its history, and the page
 * follows a transition without a reload. Screenshots: the page, {@code target/dashboard.png}; one FSM's part,
 * {@code target/dashboard-fsm.png}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // one set of FSMs: the first test counts them as started
class DashboardBrowserTest {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private ActorTestKit kit;
    private Finitomata<Counter> orders;
    private WebDriver browser;
    private Path profile;
    private String base;

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @BeforeAll
    void start() throws Exception {
        assertTrue(new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(), "the browser tests need "
                + CHROMIUM + " and " + CHROMEDRIVER + ": run dashboard/browser/ensure-chromium.sh (as root) or "
                + "'sudo apt-get install -y chromium chromium-driver'");
        kit = TestSystems.local("dashboard-browser", "finitomata.dashboard.actions = on");
        FsmDashboard dashboard = FsmDashboard.create(kit.system());
        orders = Finitomata.create(kit.system(), "orders", RecordingFsm.class, RecordingFsm::new);
        for (int i = 0; i < 12; i++) {
            await(orders.start("order-" + i, new Counter(i)));
        }
        for (int i : new int[] {7, 3, 9, 1, 4}) {
            await(orders.transitionAndWait("order-" + i, "start", null));
        }
        await(orders.transitionAndWait("order-3", "check", null));
        // a second type, whose diagram describes a state
        await(Finitomata.create(kit.system(), "tickets", TicketFsm.class, TicketFsm::new).start("ticket-1", 0));
        orders.transition("order-9", "pause?", null, Duration.ofHours(1));
        ServerBinding binding = await(dashboard.serve("127.0.0.1", 0));
        base = "http://127.0.0.1:" + binding.localAddress().getPort() + "/";

        profile = Files.createTempDirectory("finitomata-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,1100",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (kit != null) {
            kit.shutdownTestKit();
        }
        if (profile != null) { // the browser's profile: about 7 MB a run
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    /** Waits for a condition; the page redraws its tables every 2 s, so an element found may be gone a moment later. */
    private WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** Clicks what {@code selector} finds, finding it again if the page redrew it meanwhile. */
    private void click(By selector) {
        waiting().until(b -> {
            b.findElement(selector).click();
            return true;
        });
    }

    /**
     * Reads what {@code selector} finds, finding it again if the page redrew it between the find and the read (the
     * page redraws its tables on every refresh). Empty if the read gives null.
     */
    private Optional<String> read(By selector, Function<WebElement, String> what) {
        return waiting().until(b -> Optional.ofNullable(what.apply(b.findElement(selector))));
    }

    private Map<String, Long> countsShown() {
        Map<String, Long> shown = new TreeMap<>();
        for (WebElement row : browser.findElements(By.cssSelector("#counts tbody tr[data-state]"))) {
            long n = Long.parseLong(row.findElement(By.cssSelector("td.count")).getText());
            if (n > 0) {
                shown.put(row.getAttribute("data-state"), n);
            }
        }
        return shown;
    }

    private void screenshot() throws Exception {
        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Order(1)
    void whatAPersonSeesFollowsTheFsms() throws Exception {
        browser.get(base);
        // the diagram is drawn (Mermaid's SVG, with the states' live counts on it)
        waiting().until(b -> !b.findElements(By.cssSelector("#diagram svg")).isEmpty());
        String diagram = read(By.id("diagram"), WebElement::getText).orElse("");
        assertTrue(diagram.contains("working (4)"), diagram);
        // the counts are countByState()'s
        Map<String, Long> expected = await(orders.countByState());
        waiting().until(b -> countsShown().equals(expected));
        assertEquals(Map.of("idle", 7L, "working", 4L, "done", 1L), expected); // order-3 went on by its hard events
        assertEquals("Transitions per edge and failures: counted on this node since its dashboard started.",
                browser.findElement(By.id("counted-on")).getText());

        // a state's FSMs, oldest first
        click(By.cssSelector("#counts tr[data-state='working']"));
        List<String> oldestFirst = await(orders.find(FsmQuery.inState("working"))).stream()
                .map(FsmSummary::name).toList();
        assertEquals(4, oldestFirst.size()); // by when they entered, then by name (same millisecond)
        waiting().until(b -> b.findElements(By.cssSelector("#fsms tbody tr[data-name]")).stream()
                .map(r -> r.getAttribute("data-name")).toList().equals(oldestFirst));

        // one FSM's page: its state, its history from the journal, its node and schedule, its diagram with the state highlighted
        click(By.cssSelector("#fsms tr[data-name='order-9']"));
        waiting().until(b -> b.findElement(By.id("fsm-state")).getText().equals("working"));
        waiting().until(b -> b.findElements(By.cssSelector("#history tbody tr")).size() == 2);
        waiting().until(b -> b.findElements(By.cssSelector("#history tbody tr")).stream()
                .map(r -> r.findElements(By.tagName("td")).get(3).getText()).toList()
                .equals(List.of("__start__", "start")));
        waiting().until(b -> !b.findElements(By.cssSelector("#fsm-diagram svg")).isEmpty());
        // the node hosting it and what it has scheduled
        waiting().until(b -> b.findElement(By.id("fsm-node")).getText().equals(kit.system().address().toString()));
        waiting().until(b -> b.findElement(By.id("fsm-scheduled")).getText().startsWith("delayed event pause? due "));
        File fsmView = browser.findElement(By.id("fsm-view")).getScreenshotAs(OutputType.FILE);
        Files.copy(fsmView.toPath(), Path.of("target", "dashboard-fsm.png"), StandardCopyOption.REPLACE_EXISTING);

        // the page follows a transition, without a reload
        await(orders.transitionAndWait("order-9", "work", null));
        await(orders.transitionAndWait("order-0", "start", null));
        waiting().until(b -> b.findElements(By.cssSelector("#history tbody tr")).size() == 3);
        waiting().until(b -> countsShown().equals(Map.of("idle", 6L, "working", 5L, "done", 1L)));
        screenshot();
    }

    @Test
    @Order(3)
    void anEnabledActionMovesTheFsmAndThePageFollows() throws Exception {
        browser.get(base);
        waiting().until(b -> !b.findElements(By.cssSelector("#counts tbody tr")).isEmpty());
        ((ChromeDriver) browser).executeScript("select('orders', 'idle', null, 'order-11')");
        // only the events its state accepts are offered
        waiting().until(b -> b.findElements(By.cssSelector("#event-buttons button")).stream()
                .map(e -> e.getAttribute("data-event")).toList().equals(List.of("start")));
        click(By.cssSelector("#event-buttons button[data-event='start']"));
        waiting().until(b -> b.findElement(By.id("fsm-state")).getText().equals("working"));
        assertEquals("working", await(orders.state("order-11")).orElseThrow().current());
        waiting().until(b -> b.findElements(By.cssSelector("#history tbody tr")).size() == 2);
        // a destructive one asks first; dismissed, nothing happens
        click(By.id("stop"));
        browser.switchTo().alert().dismiss();
        assertEquals(true, await(orders.alive("order-11")));
        click(By.id("stop"));
        browser.switchTo().alert().accept();
        waiting().until(b -> b.findElement(By.id("fsm-state")).getText().startsWith("not running"));
        assertEquals(false, await(orders.alive("order-11")));
    }

    @Test
    @Order(2)
    void badActionsAreRefusedWithWhatWasWrongAndChangeNothing() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String fsm = base + "api/types/orders/fsms/order-10";
        Object[][] cases = {
            {fsm + "/events/finish!", 409, "finish!"},            // not accepted in its state
            {fsm + "/events/nope", 404, "has no event 'nope'"},
            {base + "api/types/orders/fsms/nobody/events/start", 404, "nobody"},
            {base + "api/types/nope/fsms/order-10/events/start", 404, "no FSM type 'nope'"},
        };
        for (Object[] c : cases) {
            java.net.http.HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create((String) c[0])).POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(c[1], response.statusCode(), c[0] + ": " + response.body());
            assertTrue(response.body().contains((String) c[2]), response.body());
        }
        java.net.http.HttpResponse<String> malformed = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(fsm + "/events/start")).POST(java.net.http.HttpRequest.BodyPublishers
                .ofString("{not json")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(400, malformed.statusCode(), malformed.body());
        assertTrue(malformed.body().contains("the event payload is not JSON"), malformed.body());
        assertEquals("idle", await(orders.state("order-10")).orElseThrow().current(), "nothing changed");
    }

    @Test
    @Order(4)
    void anUnknownFsmIsSaidSoInThePage() {
        browser.get(base);
        waiting().until(b -> !b.findElements(By.cssSelector("#counts tbody tr")).isEmpty());
        ((ChromeDriver) browser).executeScript("select('orders', null, null, 'nobody')");
        waiting().until(b -> b.findElement(By.id("fsm-state")).getText()
                .contains("no FSM 'nobody' of type 'orders'"));
    }

    @Test
    @Order(5)
    void aViewHasALinkThatOpensIt() {
        browser.get(base);
        waiting().until(b -> !b.findElements(By.cssSelector("#counts tbody tr")).isEmpty());
        ((ChromeDriver) browser).executeScript("select('orders', 'idle', null, 'order-10')");
        waiting().until(b -> b.getCurrentUrl().endsWith("#orders/idle/order-10"));
        browser.get("about:blank");
        browser.get(base + "#orders/idle/order-10"); // a link someone shared
        waiting().until(b -> b.findElement(By.id("fsm-title")).getText().equals("order-10"));
        waiting().until(b -> b.findElement(By.id("fsm-state")).getText().equals("idle"));
        waiting().until(b -> b.findElements(By.cssSelector("#fsms tbody tr[data-name='order-10']")).size() == 1);
    }

    @Test
    @Order(6)
    void aStatesDescriptionFromTheDiagramIsItsRowsTooltip() {
        browser.get(base + "#tickets");
        waiting().until(b -> "waiting for an answer".equals(
                b.findElement(By.cssSelector("#counts tr[data-state='open']")).getAttribute("title")));
        assertEquals(Optional.empty(), read(By.cssSelector("#counts tr[data-state='closed']"),
                row -> row.getDomAttribute("title")), "a state the diagram does not describe has no tooltip");
    }

    @Test
    @Order(7)
    void aForkInTheParentsHistoryOpensTheChild() throws Exception {
        // a parent that forked three children (types created here: the first tests count what the page lists first)
        Finitomata.create(kit.system(), "documents", DocumentFsm.class, DocumentFsm::new);
        Finitomata<ApplicantFsm.Docs> applicants = Finitomata.create(kit.system(), "applicants", ApplicantFsm.class,
                ApplicantFsm::new);
        await(applicants.start("ada", new ApplicantFsm.Docs(java.util.List.of())));
        await(applicants.transitionAndWait("ada", "submit", null));
        browser.get(base + "#applicants//ada");
        waiting().until(b -> b.findElements(By.cssSelector("#history tr[data-child]")).size() == 3);
        assertEquals(Optional.of("open ada-diploma (documents)"), read(By.cssSelector(
                "#history tr[data-child='documents/ada-diploma']"), row -> row.getAttribute("title")));
        // a refresh that shows the same rows leaves them be: a person's selection and tooltip stay
        ((ChromeDriver) browser).executeScript(
                "document.querySelector(\"#history tr[data-child='documents/ada-diploma']\").dataset.mark = 'kept'");
        for (int refreshes = 0; refreshes < 2; refreshes++) {
            String updated = read(By.id("updated"), WebElement::getText).orElse("");
            waiting().until(b -> !b.findElement(By.id("updated")).getText().equals(updated));
        }
        assertEquals(1, browser.findElements(By.cssSelector("#history tr[data-mark='kept']")).size(),
                "a refresh with nothing new redrew the history");
        click(By.cssSelector("#history tr[data-child='documents/ada-diploma']"));
        waiting().until(b -> b.getCurrentUrl().endsWith("#documents//ada-diploma"));
        waiting().until(b -> b.findElement(By.id("fsm-title")).getText().equals("ada-diploma"));
        waiting().until(b -> b.findElement(By.id("fsm-state")).getText().equals("requested"));
    }
}
