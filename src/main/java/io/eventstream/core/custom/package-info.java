/**
 * Custom streams (django-sse's {@code iterator()}): the application's {@code StreamSource} beans, each served to its
 * clients through the same admission as channel streams, with a {@code StreamClient} handle that schedules work on
 * the shared scheduler.
 */
package io.eventstream.core.custom;
