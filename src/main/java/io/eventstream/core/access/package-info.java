/**
 * Who may read and publish: {@link io.eventstream.core.access.AccessPolicy} is the one place that decides, from the
 * application's {@code ChannelAuthorizer}, signed subscriber tokens (JWT, verified by
 * {@link io.eventstream.core.access.TokenVerifier}), public channel patterns and the shared publish token.
 */
package io.eventstream.core.access;
