/**
 * The operator console on the management port: static page ({@code src/main/resources/console}), its JSON API
 * ({@code /api/...}) and live event stream, the token check, and what it reads (hub members, sampled traffic, routes,
 * health checks, meters). In the app layer: it may import everything below.
 */
package dev.skynetbridge.app.console;
