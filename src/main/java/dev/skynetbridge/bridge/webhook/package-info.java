/**
 * HTTP webhooks out (signed, retried, dead-lettered) and in (the HTTP server and its guard). May import Camel, camel
 * and the layers below it; never app.
 */
package dev.skynetbridge.bridge.webhook;
