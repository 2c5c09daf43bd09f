/**
 * The gateway's own SLF4J backend: lines on standard output, levels per logger name from two settings
 * ({@code skynet.log.level}, {@code skynet.log.levels}), and a way for the gateway to take another library's log
 * events off a logger (HiveMQ reports dropped messages only as log lines). Log4j 2 did this before; its start-up
 * alone took 0.55-0.6 s of CPU on the main thread of a two-core machine (BENCHMARKS.md, session 6), this about a
 * tenth of it. May import only the JDK and SLF4J's API.
 */
package dev.skynetbridge.support.logging;
