/**
 * Opening streams: {@link io.eventstream.core.admission.Admission} opens every stream, channel or custom, and keeps
 * the rules that last as long as it is open: connection limits per node, per user and per anonymous client address
 * ({@link io.eventstream.core.admission.CountsPerKey}), token expiry, revocation; and the
 * log line each stream leaves when it ends ({@link io.eventstream.core.admission.StreamEndLine}).
 */
package io.eventstream.core.admission;
