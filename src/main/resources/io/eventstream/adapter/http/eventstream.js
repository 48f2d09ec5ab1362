/*
 * eventstream.js: a reconnecting EventSource for the eventstream hub. No dependencies, no build step.
 *
 *   const stream = new ReconnectingEventSource(ReconnectingEventSource.url(['news', 'course-state/42']));
 *   stream.addEventListener('message', (e) => console.log(e.lastEventId, JSON.parse(e.data)));
 *   stream.addEventListener('stream-reset', (e) => reload(JSON.parse(e.data).channels));
 *
 * Unlike a plain EventSource it reconnects after any drop, HTTP errors included, always resumes from the
 * last id it saw, and spreads its reconnects with capped exponential backoff and full jitter, so that a
 * restarting node is not hit by all of its clients at the same instant. The API mirrors EventSource.
 */
(function (global) {
  'use strict';

  const CONNECTING = 0;
  const OPEN = 1;
  const CLOSED = 2;

  // The directory this script was loaded from is the hub's base URL, also when the page is on another origin.
  const scriptBase = global.document && global.document.currentScript
    ? new URL('.', global.document.currentScript.src).href
    : undefined;

  class ReconnectingEventSource extends EventTarget {
    /**
     * @param {string} url the stream to read, e.g. from ReconnectingEventSource.url(channels)
     * @param {object} [options]
     * @param {boolean} [options.withCredentials] send cookies cross-origin, as for EventSource
     * @param {string} [options.lastEventId] resume from this id on the first connection too (e.g. one kept in sessionStorage)
     * @param {number} [options.initialDelay=1000] upper bound in ms of the first reconnect delay
     * @param {number} [options.maxDelay=30000] cap in ms of the reconnect delay
     */
    constructor(url, options = {}) {
      super();
      this.url = new URL(url, global.location ? global.location.href : undefined).href;
      this.withCredentials = Boolean(options.withCredentials);
      this.lastEventId = options.lastEventId || '';
      this.initialDelay = options.initialDelay ?? 1000;
      this.maxDelay = options.maxDelay ?? 30000;
      this.readyState = CONNECTING;
      this.onopen = null;
      this.onmessage = null;
      this.onerror = null;
      this._source = null;
      this._timer = null;
      this._attempt = 0;
      this._types = new Set(['message', 'stream-open', 'stream-reset', 'stream-error']);
      this._forward = (event) => this._receive(event);
      this._connect();
    }

    /** The URL of a stream on several channels of the hub this script came from (or of base). */
    static url(channels, base = scriptBase) {
      const query = channels.map((channel) => 'channel=' + encodeURIComponent(channel)).join('&');
      return new URL('events?' + query, base).href;
    }

    addEventListener(type, listener, options) {
      super.addEventListener(type, listener, options);
      // EventSource delivers a named event only to listeners of that name: forward each type asked for.
      if (!this._types.has(type) && !['open', 'error'].includes(type)) {
        this._types.add(type);
        if (this._source) this._source.addEventListener(type, this._forward);
      }
    }

    /** Stops for good: no more events, no reconnect. */
    close() {
      this.readyState = CLOSED;
      clearTimeout(this._timer);
      this._timer = null;
      if (this._source) this._source.close();
      this._source = null;
    }

    /** Drops the current connection (if any) and connects again at once, resuming from lastEventId. */
    reconnect() {
      if (this.readyState === CLOSED) return;
      clearTimeout(this._timer);
      this._connect();
    }

    _connect() {
      if (this._source) this._source.close();
      this._timer = null;
      this.readyState = CONNECTING;
      const source = new EventSource(this._resumeUrl(), { withCredentials: this.withCredentials });
      this._source = source;
      this._types.forEach((type) => source.addEventListener(type, this._forward));
      source.onerror = () => {
        if (this._source === source) this._dropped();
      };
    }

    // The query parameter carries our position on every new EventSource; the hub prefers the Last-Event-ID
    // header, which an EventSource only sends once it has seen an id itself, and then it is the same id.
    _resumeUrl() {
      const url = new URL(this.url);
      url.searchParams.delete('lastEventId');
      if (this.lastEventId) url.searchParams.set('lastEventId', this.lastEventId);
      return url.href;
    }

    _receive(event) {
      if (event.target !== this._source) return; // a late event of a connection already replaced
      if (event.lastEventId) this.lastEventId = event.lastEventId;
      if (event.type === 'stream-open') {
        // Only now is the hub known to have accepted us: reset the backoff and report the connection.
        this._attempt = 0;
        this.readyState = OPEN;
        this._dispatch(new Event('open'), this.onopen);
      }
      this._dispatch(new MessageEvent(event.type, {
        data: event.data, lastEventId: this.lastEventId, origin: event.origin,
      }), event.type === 'message' ? this.onmessage : null);
      if (event.type === 'stream-error') this.close(); // the hub ended the stream on purpose: retrying will not help
    }

    // A network error, an HTTP error or a closed connection: take over from EventSource's own retry, which
    // neither backs off nor jitters, nor retries after an HTTP error at all.
    _dropped() {
      if (this.readyState === CLOSED) return;
      this._source.close();
      this._source = null;
      this.readyState = CONNECTING;
      const cap = Math.min(this.maxDelay, this.initialDelay * 2 ** this._attempt);
      this._attempt = Math.min(this._attempt + 1, 30);
      const delay = Math.random() * cap;
      this._dispatch(Object.assign(new Event('error'), { reconnectDelay: delay }), this.onerror);
      if (this.readyState !== CLOSED) this._timer = setTimeout(() => this._connect(), delay);
    }

    _dispatch(event, handler) {
      if (typeof handler === 'function') handler.call(this, event);
      this.dispatchEvent(event);
    }
  }

  ReconnectingEventSource.CONNECTING = CONNECTING;
  ReconnectingEventSource.OPEN = OPEN;
  ReconnectingEventSource.CLOSED = CLOSED;
  global.ReconnectingEventSource = ReconnectingEventSource;
}(typeof window !== 'undefined' ? window : globalThis));
