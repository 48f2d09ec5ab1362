/** Who may read which channel: the application's {@link io.eventstream.access.ChannelAuthorizer}, signed subscriber tokens, public channels, connection limits and CORS. */
package io.eventstream.access;
