/**
 * The event and its parts, shared by every feature: channel names, event types, ids and JSON data,
 * with the validation that keeps bad input out of the stream.
 */
package io.eventstream.event;
