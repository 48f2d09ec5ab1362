/**
 * MicroProfile Health checks of the node: ready when it can publish and deliver, live while its own threads make
 * progress. Served by servers that have MP Health; {@code GET {root}/status} is the portable equivalent.
 */
package io.eventstream.adapter.health;
