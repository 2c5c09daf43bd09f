/**
 * Access control of the embedded Skynet server as data: the access file's model and parser
 * (file:line errors), token hashes, compiled per-token channel rules, reload triggers.
 * May import protocol, support, SnakeYAML Engine and the JDK; no Vert.x, no Camel.
 */
package dev.skynetbridge.server.acl;
