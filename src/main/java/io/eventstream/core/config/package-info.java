/**
 * The configuration: {@link io.eventstream.core.config.Settings} reads every {@code eventstream.*} key once from
 * MicroProfile Config; defaults live only in {@code META-INF/microprofile-config.properties}.
 */
package io.eventstream.core.config;
