package dev.finitomata.dashboard;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.redirectToTrailingSlashIfMissing;
import static org.apache.pekko.http.javadsl.server.Directives.reject;

import java.util.Objects;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * The dashboard on pekko-management's HTTP port, under {@code /<finitomata.dashboard.management-path>/}
 * ({@code /finitomata/} by default). This module's {@code reference.conf} names it in
 * {@code pekko.management.http.routes}, so an application that starts pekko-management
 * ({@code PekkoManagement.get(system).start()}) and has {@code finitomata-dashboard} on its class path serves the page
 * there; {@code pekko.management.http.routes.finitomata-dashboard = ""} turns that off.
 *
 * <p>Manual actions follow management: they are allowed only when {@code finitomata.dashboard.actions = on} and
 * management's routes are not read-only ({@code pekko.management.http.route-providers-read-only = false}; it is
 * {@code true} by default); otherwise the server refuses them (403). Management's authentication, if configured,
 * guards the page like every management route. It is the same dashboard as {@link FsmDashboard#create}'s.
 *
 * <p>Created by pekko-management (by reflection, with the classic {@code ExtendedActorSystem}) when it starts.
 */
public final class FsmDashboardRouteProvider implements ManagementRouteProvider {

    private final ExtendedActorSystem system;

    /** @throws NullPointerException if {@code system} is null */
    public FsmDashboardRouteProvider(ExtendedActorSystem system) {
        this.system = Objects.requireNonNull(system, "system");
    }

    /**
     * The dashboard's route under its path, read-only if {@code settings} are (management's
     * {@code route-providers-read-only}). Called by pekko-management once, when it builds its routes.
     */
    @Override
    public Route routes(ManagementRouteProviderSettings settings) {
        FsmDashboard dashboard = FsmDashboard.create(Adapter.toTyped(system));
        String path = system.settings().config().getString("finitomata.dashboard.management-path");
        return pathPrefix(PathMatchers.separateOnSlashes(path), () -> concat(
                pathEnd(() -> redirectToTrailingSlashIfMissing(StatusCodes.FOUND, () -> reject())),
                dashboard.route(settings.readOnly())));
    }
}
