package dev.finitomata.dashboard;

import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.delete;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.extractClientIP;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResource;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.pathSingleSlash;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finitomata.dashboard.internal.Api;
import dev.finitomata.dashboard.internal.Catalog;
import dev.finitomata.dashboard.internal.Peers;
import dev.finitomata.spi.FsmProbes;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;

/**
 * A live web page of every FSM supervisor ({@code Finitomata}, {@code Infinitomata}) of one ActorSystem, those
 * created later too: each FSM type's diagram with the running FSMs per state and the transitions taken per edge on
 * this node since the dashboard was created, the FSMs in a state oldest first with their time in it, and one FSM's
 * state, payload, last error and history. The page updates itself every 2 seconds; it needs no internet access (its
 * one library, Mermaid, is served from this jar). Read-only unless {@code finitomata.dashboard.actions = on}: then a
 * person may send an event (the page offers those the FSM's state accepts, with an optional JSON payload), stop or
 * delete an FSM, each through the public API and logged at INFO with the client's address.
 *
 * <pre>{@code
 * FsmDashboard dashboard = FsmDashboard.create(system);
 * dashboard.serve("127.0.0.1", 8558);        // its own server, or:
 * Route route = dashboard.route();           // in your pekko-http server
 * }</pre>
 *
 * <p>The JSON API under {@code /api} is what the page reads: {@code GET /api/types}, {@code GET
 * /api/types/{id}/states/{state}?limit=&afterSince=&afterName=} and {@code GET /api/types/{id}/fsms/{name}}. An
 * unknown type, state or FSM is answered 404, a malformed parameter 400, each with {@code {"error": "..."}} naming
 * what was wrong. Thread-safe.
 */
public final class FsmDashboard {

    /** The Mermaid version served (the {@code org.webjars.npm:mermaid} dependency). */
    static final String MERMAID = "META-INF/resources/webjars/mermaid/11.14.0/dist/mermaid.min.js";
    private static final String WEB = "dev/finitomata/dashboard/web/";
    private static final ContentType JAVASCRIPT = ContentTypes.create(MediaTypes.APPLICATION_JAVASCRIPT,
            HttpCharsets.UTF_8);

    /** The one dashboard of an ActorSystem. */
    private static final class Installed implements Extension {
        final FsmDashboard dashboard;

        Installed(ActorSystem<?> system) {
            dashboard = new FsmDashboard(system);
        }
    }

    private static final ExtensionId<Installed> INSTALLED = new ExtensionId<>() {
        @Override
        public Installed createExtension(ActorSystem<?> system) {
            return new Installed(system);
        }
    };

    private final ActorSystem<?> system;
    /** The page and API as configured ({@code finitomata.dashboard.actions}), and read-only for management. */
    private final Api configured;
    private final Api managementReadOnly;
    private final Route route;

    private FsmDashboard(ActorSystem<?> system) {
        this.system = system;
        Catalog catalog = new Catalog();
        FsmProbes.add(system, catalog);
        ObjectMapper json = JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty());
        boolean actions = system.settings().config().getBoolean("finitomata.dashboard.actions");
        Peers peers = new Peers(system, catalog, system.settings().config()
                .getDuration("finitomata.dashboard.peer-timeout"));
        String off = "manual actions are off: set finitomata.dashboard.actions = on to allow them";
        this.configured = new Api(catalog, peers, json, actions ? null : off);
        this.managementReadOnly = actions ? new Api(catalog, peers, json, "manual actions are off: "
                + "pekko-management's routes are read-only; set pekko.management.http.route-providers-read-only = false to allow them")
                : configured;
        this.route = routes(configured, request -> Optional.empty());
    }

    /**
     * The dashboard of {@code system}'s supervisors, present and future: created (and its probe installed) on the
     * first call, the same one on every later call, by {@link FsmDashboardRouteProvider} too.
     *
     * @throws NullPointerException if {@code system} is null
     */
    public static FsmDashboard create(ActorSystem<?> system) {
        return INSTALLED.apply(Objects.requireNonNull(system, "system")).dashboard;
    }

    /**
     * The page and its JSON API, to put in an application's own pekko-http routes, at its root or under a prefix
     * (the page's links are relative: mount it at a path ending in {@code /}). A manual action is logged with the
     * client's address when your server records it ({@code pekko.http.server.remote-address-attribute = on}).
     */
    public Route route() {
        return route;
    }

    /**
     * As {@link #route()}, with manual actions logged as made by {@code who} of the request: for example the user
     * your authentication directive found, {@code authenticateBasic(realm, check, user ->
     * dashboard.route(request -> Optional.of(user)))}, or a header set by your proxy. Empty: the client's address.
     * {@code who} runs on a pekko-http thread, for manual actions only.
     *
     * @throws NullPointerException if {@code who} is null
     */
    public Route route(Function<HttpRequest, Optional<String>> who) {
        return routes(configured, Objects.requireNonNull(who, "who"));
    }

    /** For pekko-management: manual actions also need management's {@code route-providers-read-only = false}. */
    Route route(boolean managementReadOnly) {
        return managementReadOnly ? routes(this.managementReadOnly, request -> Optional.empty()) : route;
    }

    /**
     * Serves the dashboard alone on {@code host}:{@code port} (0: any free port) until the ActorSystem terminates.
     *
     * @return the binding, with the address bound; fails if the port is taken
     */
    public CompletionStage<ServerBinding> serve(String host, int port) {
        return Http.get(system).newServerAt(host, port)
                .withSettings(ServerSettings.create(system.settings().config()).withRemoteAddressAttribute(true)) // who acted, from where
                .bind(route);
    }

    private Route routes(Api api, Function<HttpRequest, Optional<String>> who) {
        return concat(pages(api), actions(api, who));
    }

    /** Manual actions: refused (403) unless {@code finitomata.dashboard.actions = on}. */
    private Route actions(Api api, Function<HttpRequest, Optional<String>> whoOf) {
        return pathPrefix("api", () -> extractClientIP(client -> extractRequest(request -> {
            String address = client.getAddress().map(a -> a.getHostAddress()).orElse("an unknown address");
            String who = whoOf.apply(request).map(w -> w + " (" + address + ")").orElse(address);
            return pathPrefix(segment("types").slash(segment()).slash("fsms").slash(segment()), (id, name) -> concat(
                    post(() -> path(segment("events").slash(segment()), event -> entityAsString(body ->
                            answer(api, api.send(id, name, event, body, who))))),
                    post(() -> path("stop", () -> answer(api, api.stop(id, name, who)))),
                    delete(() -> pathEnd(() -> answer(api, api.delete(id, name, who))))));
        })));
    }

    private Route entityAsString(Function<String, Route> inner) {
        return entity(Unmarshaller.entityToString(), inner);
    }

    private Route pages(Api api) {
        return get(() -> concat(
                pathSingleSlash(() -> getFromResource(WEB + "index.html", ContentTypes.TEXT_HTML_UTF8)),
                path("dashboard.js", () -> getFromResource(WEB + "dashboard.js", JAVASCRIPT)),
                path("dashboard.css", () -> getFromResource(WEB + "dashboard.css",
                        ContentTypes.create(MediaTypes.TEXT_CSS, HttpCharsets.UTF_8))),
                path("mermaid.min.js", () -> getFromResource(MERMAID, JAVASCRIPT)),
                pathPrefix("api", () -> concat(
                        path("types", () -> answer(api, api.types())),
                        path("settings", () -> answer(api, api.settings())),
                        path(segment("types").slash(segment()).slash("states").slash(segment()), (id, state) ->
                                parameterOptional("limit", limit ->
                                        parameterOptional("afterSince", since ->
                                                parameterOptional("afterName", after ->
                                                        answer(api, api.find(id, state, limit, since, after)))))),
                        path(segment("types").slash(segment()).slash("fsms").slash(segment()), (id, name) ->
                                answer(api, api.fsm(id, name))),
                        path(segment("types").slash(segment()).slash("nodes"), id ->
                                answer(api, api.nodes(id)))))));
    }

    private static Route answer(Api api, CompletionStage<Api.Answer> answer) {
        return completeWithFuture(answer.exceptionally(failure -> api.error(503, "the FSMs did not answer: "
                        + (failure.getCause() != null ? failure.getCause() : failure)))
                .thenApply(a -> HttpResponse.create().withStatus(a.status())
                        .withEntity(ContentTypes.APPLICATION_JSON, a.json())));
    }
}
