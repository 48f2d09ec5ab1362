/**
 * Custom streams (django-sse's {@code iterator()}): user classes that produce events for each connected
 * client on their own schedule, served at {@code GET /streams/{name}}.
 */
package io.eventstream.custom;
