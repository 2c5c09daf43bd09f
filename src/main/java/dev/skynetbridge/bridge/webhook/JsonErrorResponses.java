package dev.skynetbridge.bridge.webhook;

import dev.skynetbridge.protocol.json.JsonValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the errors the HTTP server answers by itself, before any route's guard runs, look like
 * the guard's: a 4xx/5xx with {@code {"error": "..."}} as {@code application/json}. Those are the
 * 413 of the server-wide body limit (Vert.x's body handler fails the request when Content-Length
 * is over it, or when a chunked body grows over it), a 404 for a path no route serves, a 405 for a
 * method a method-restricted route does not take, and a 500 when a route fails.
 *
 * <p>Installed on the platform-http router, which is mounted under the server's root router:
 * failures inside it reach its failure handlers, but an unmatched request falls through to the
 * root router, which Camel keeps to itself; hence the last-resort route that answers 404 and 405.
 */
final class JsonErrorResponses {

    private static final Logger LOG = LoggerFactory.getLogger(JsonErrorResponses.class);

    private final long maxBodySize;

    private JsonErrorResponses(long maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    /** Call before any platform-http consumer adds its route; the 404 route sorts last anyway. */
    static void install(Router router, long maxBodySize) {
        JsonErrorResponses errors = new JsonErrorResponses(maxBodySize);
        router.route().failureHandler(errors::failed);
        Route notFound = router.route().last();
        notFound.handler(context -> errors.unmatched(router, notFound, context));
    }

    private void failed(RoutingContext context) {
        int status = context.statusCode();
        Throwable failure = context.failure();
        if (failure instanceof HttpException http) {
            status = http.getStatusCode();
        }
        if (status < 400) {
            status = 500;
        }
        String error;
        if (status == 413) {
            error = "body is over " + maxBodySize + " bytes, the most this server reads (skynet.http.max-body-size)";
            LOG.info("HTTP {} {}: answered 413: {}", context.request().method(), context.request().path(), error);
        } else if (status >= 500) {
            // Not the caller's doing and not for the caller to read: the cause goes to the log only.
            LOG.warn("HTTP {} {}: answered {}: {}", context.request().method(), context.request().path(), status,
                    failure == null ? "no cause given" : failure.toString());
            error = "the gateway could not handle this request; its log says why";
        } else {
            error = HttpResponseStatus.valueOf(status).reasonPhrase().toLowerCase(Locale.ROOT);
        }
        answer(context, status, error);
    }

    private void unmatched(Router router, Route notFound, RoutingContext context) {
        String path = context.normalizedPath();
        Set<HttpMethod> allowed = new TreeSet<>(Comparator.comparing(HttpMethod::name));
        for (Route route : router.getRoutes()) {
            Set<HttpMethod> methods = route.methods();
            if (route == notFound || methods == null || methods.isEmpty()) {
                continue; // a route for every method would have taken the request
            }
            if (route.getPath() != null && route.getPath().equals(path)) {
                allowed.addAll(methods);
            } else if (mayMatch(route, path)) {
                // A method-restricted route with path parameters, a prefix or a regex might serve this
                // path; Vert.x knows and answers 404 or 405 itself (as text). Guessing could be wrong.
                context.next();
                return;
            }
        }
        if (!allowed.isEmpty()) {
            String allow = allowed.stream().map(HttpMethod::name).collect(Collectors.joining(", "));
            context.response().putHeader(HttpHeaders.ALLOW, allow);
            answer(context, 405, "use " + allow);
            return;
        }
        answer(context, 404, "nothing at " + context.request().path()
                + "; webhooks are POST /hooks/<name>, <name> as in the route file");
    }

    /**
     * Whether a route could serve more paths than its own. The hooks of skynet-webhook-source take
     * every method (their guard answers 405) and never get here; this is for hand-written
     * platform-http routes with httpMethodRestrict.
     */
    private static boolean mayMatch(Route route, String path) {
        String routePath = route.getPath();
        if (routePath == null) {
            return true; // a regex route
        }
        int parameter = routePath.indexOf(':');
        String fixedPart = parameter < 0 ? routePath : routePath.substring(0, parameter);
        return path != null && path.startsWith(fixedPart);
    }

    private static void answer(RoutingContext context, int status, String error) {
        HttpServerResponse response = context.response();
        if (response.headWritten()) {
            // Too late for a proper answer; closing tells the caller something went wrong.
            response.close();
            return;
        }
        response.setStatusCode(status);
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        response.end(JsonValues.toJson(Map.of("error", error)));
    }
}
