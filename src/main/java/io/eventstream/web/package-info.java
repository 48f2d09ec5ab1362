/**
 * The HTTP shell around the features: the JAX-RS application, JSON error bodies for every refusal, the status
 * endpoint and the demo page.
 */
package io.eventstream.web;
