package dev.skynetbridge.server;

import dev.skynetbridge.support.RateLimitedWarning;

/**
 * What every connection of one server shares: the hub, the options, the access rules and the
 * rate-limited log of refusals (a client that keeps asking for what it may not have is counted
 * every time but logged once in a while).
 */
record ServerSide(SkynetHub hub, ServerOptions options, AccessControl accessControl, RateLimitedWarning refusalLog) {
}
