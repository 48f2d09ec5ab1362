/**
 * The JMS side of the hub: which broker to use (embedded or remote Artemis, chosen by configuration),
 * the embedded broker itself, publishing onto the topic, and the one topic listener per node.
 */
package io.eventstream.broker;
