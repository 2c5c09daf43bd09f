package dev.skynetbridge.app.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.SupervisingRouteController;
import org.apache.camel.util.URISupport;

/**
 * Each route the user wrote (not the routes Kamelets create inside it) as the console's bridges view shows it:
 * {@code connected}, {@code buffering} (running, with messages waiting) or {@code down} (not started, waiting to
 * be started again, or one of its health checks DOWN), with counters, the last error and a rate history.
 *
 * <p>A health check belongs to a route when it is Camel's own for it ({@code route:<id>}, {@code consumer:<id>}), or
 * when the name the gateway's check ends with ({@code skynet-mqtt-<bridgeId>}, {@code skynet-kafka-archive-<topic>})
 * is the route id, starts it, or is a parameter value of one of the route's endpoints.
 */
final class BridgeStates {

    static final String CONNECTED = "connected";
    static final String BUFFERING = "buffering";
    static final String DOWN = "down";

    private final CamelContext context;
    private final RouteActivity activity;
    private final BridgeMeters meters;
    private final ConsoleSampler sampler;

    BridgeStates(CamelContext context, RouteActivity activity, BridgeMeters meters, ConsoleSampler sampler) {
        this.context = context;
        this.activity = activity;
        this.meters = meters;
        this.sampler = sampler;
    }

    List<Map<String, Object>> views() {
        Collection<HealthCheck.Result> health = HealthCheckHelper.invoke(context);
        SupervisingRouteController supervising = context.getRouteController() instanceof SupervisingRouteController s
                ? s : null;
        List<Map<String, Object>> views = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            if (!route.isCreatedByKamelet()) {
                views.add(view(route, health, supervising));
            }
        }
        views.sort((a, b) -> ((String) a.get("route")).compareTo((String) b.get("route")));
        return views;
    }

    private Map<String, Object> view(Route route, Collection<HealthCheck.Result> health,
            SupervisingRouteController supervising) {
        String id = route.getRouteId();
        ServiceStatus status = context.getRouteController().getRouteStatus(id);
        boolean restarting = supervising != null
                && supervising.getRestartingRoutes().stream().anyMatch(r -> r.getRouteId().equals(id));
        String text = definitionText(id);
        List<Map<String, Object>> checks = new ArrayList<>();
        String checkProblem = null;
        long buffered = 0;
        for (HealthCheck.Result result : health) {
            String checkId = result.getCheck().getId();
            if (belongs(checkId, id, text)) {
                Map<String, Object> check = new LinkedHashMap<>();
                check.put("id", checkId);
                check.put("state", result.getState().name());
                result.getMessage().ifPresent(message -> check.put("message", message));
                checks.add(check);
                buffered += buffered(result.getDetails());
                if (result.getState() == HealthCheck.State.DOWN && checkProblem == null) {
                    checkProblem = result.getMessage().orElse(checkId + " is DOWN");
                }
            }
        }
        Map<String, Double> meterValues = meters.of(id);
        RouteActivity.Counts counts = activity.of(id);
        String lastError = counts == null ? null : counts.lastError();
        Instant lastErrorAt = counts == null ? null : counts.lastErrorAt();
        String state;
        String reason = null;
        if (status != ServiceStatus.Started || restarting) {
            state = DOWN;
            Throwable cause = supervising == null ? null : supervising.getRestartException(id);
            reason = restarting ? "waiting to be started again" + (cause == null ? "" : ": " + cause.getMessage())
                    : "route " + (status == null ? "unknown" : status.name().toLowerCase());
        } else if (checkProblem != null) {
            state = DOWN;
            reason = checkProblem;
        } else if (meterValues.getOrDefault("queued", 0.0) > 0 || buffered > 0) {
            state = BUFFERING;
            reason = "messages waiting: " + Math.max(buffered, meterValues.getOrDefault("queued", 0.0).longValue());
        } else {
            state = CONNECTED;
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("route", id);
        view.put("from", URISupport.sanitizeUri(route.getEndpoint().getEndpointUri()));
        view.put("state", state);
        view.put("reason", reason);
        view.put("routeStatus", status == null ? "Unknown" : status.name());
        view.put("health", checks);
        Map<String, Object> counters = new LinkedHashMap<>();
        counters.put("completed", counts == null ? 0L : counts.completed.sum());
        counters.put("failed", counts == null ? 0L : counts.failed.sum());
        view.put("exchanges", counters);
        Map<String, Object> meterView = new LinkedHashMap<>();
        meterValues.forEach((name, value) -> meterView.put(name.replace('.', '_'), wholeOrFraction(value)));
        view.put("meters", meterView);
        view.put("lastError", lastError);
        view.put("lastErrorAt", lastErrorAt == null ? null : lastErrorAt.toString());
        view.put("rate", sampler.routeHistory(id));
        return view;
    }

    /** The messages a check reports waiting: its {@code buffered} details ({@code "3/10000"}: 3 of at most 10,000). */
    static long buffered(Map<String, Object> details) {
        long waiting = 0;
        for (Map.Entry<String, Object> detail : details.entrySet()) {
            if (detail.getKey().endsWith("buffered") && detail.getValue() != null) {
                String value = detail.getValue().toString();
                int slash = value.indexOf('/');
                try {
                    waiting += Long.parseLong((slash < 0 ? value : value.substring(0, slash)).trim());
                } catch (NumberFormatException e) {
                    // not a count: nothing to add
                }
            }
        }
        return waiting;
    }

    private static Object wholeOrFraction(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? (Object) (long) value : (Object) value;
    }

    private String definitionText(String routeId) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        RouteDefinition definition = model == null ? null : model.getRouteDefinition(routeId);
        return definition == null ? "" : definition.toString();
    }

    static boolean belongs(String checkId, String routeId, String definitionText) {
        if (checkId.equals("route:" + routeId) || checkId.equals("consumer:" + routeId)) {
            return true;
        }
        if (!checkId.startsWith("skynet-")) {
            return false;
        }
        String[] parts = checkId.substring("skynet-".length()).split("-");
        // skynet-<part>-<name...>: the name is what follows the part, and may itself contain dashes.
        for (int start = 1; start < parts.length; start++) {
            String name = String.join("-", java.util.Arrays.copyOfRange(parts, start, parts.length));
            if (routeId.equals(name) || routeId.startsWith(name + "-")
                    || Pattern.compile("[=:]" + Pattern.quote(name) + "([&?\\]\\s,}]|$)").matcher(definitionText).find()) {
                return true;
            }
        }
        return false;
    }
}
