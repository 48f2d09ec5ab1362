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
 *
 * With {shared: true}, the tabs of one origin that read the same URL share one connection: a SharedWorker
 * (this same script, loaded as the worker) holds it where the browser has SharedWorker; otherwise one tab,
 * elected with navigator.locks, holds it and relays its events to the others over a BroadcastChannel, and
 * the next tab in the lock's queue takes over when that tab closes. Either way the one connection is a
 * plain ReconnectingEventSource, and every tab sees its events, ids, stream-reset and stream-error.
 */
(function (global) {
  'use strict';

  const CONNECTING = 0;
  const OPEN = 1;
  const CLOSED = 2;
  const CONTROL = new Set(['stream-open', 'stream-reset', 'stream-error']);
  // The worker's name is part of its identity (script URL + name): a new protocol gets a new name, so tabs
  // still running an older copy of this script keep their own worker instead of talking to an incompatible one.
  const WORKER_NAME = 'eventstream.js shared connections v1';
  // How many event ids a shared tab remembers to drop the duplicates a leader takeover can bring (see _deliver).
  const REMEMBERED_IDS = 1000;

  // The directory this script was loaded from is the hub's base URL, also when the page is on another origin.
  const currentScript = global.document && global.document.currentScript ? global.document.currentScript.src : undefined;
  const scriptBase = currentScript ? new URL('.', currentScript).href : undefined;

  class ReconnectingEventSource extends EventTarget {
    /**
     * @param {string} url the stream to read, e.g. from ReconnectingEventSource.url(channels)
     * @param {object} [options]
     * @param {boolean} [options.withCredentials] send cookies cross-origin, as for EventSource
     * @param {string} [options.lastEventId] resume from this id on the first connection too (e.g. one kept in sessionStorage)
     * @param {number} [options.initialDelay=1000] upper bound in ms of the first reconnect delay
     * @param {number} [options.maxDelay=30000] cap in ms of the reconnect delay
     * @param {boolean} [options.shared=false] share one connection with this origin's other tabs that read the same URL
     * @param {boolean} [options.sharedWorker=true] with shared: use a SharedWorker where there is one; false: always elect a tab
     */
    constructor(url, options = {}) {
      super();
      this.url = new URL(url, global.location ? global.location.href : undefined).href;
      this.withCredentials = Boolean(options.withCredentials);
      this.lastEventId = options.lastEventId || '';
      this.initialDelay = options.initialDelay ?? 1000;
      this.maxDelay = options.maxDelay ?? 30000;
      this.readyState = CONNECTING;
      // '' (own connection), 'worker' (a SharedWorker holds it), 'leader' (this tab holds it for the others),
      // 'follower' (another tab holds it).
      this.sharing = '';
      this.onopen = null;
      this.onmessage = null;
      this.onerror = null;
      this._source = null;
      this._timer = null;
      this._attempt = 0;
      this._types = new Set(['message', 'stream-open', 'stream-reset', 'stream-error']);
      this._forward = (event) => this._receive(event);
      if (options.shared && global.navigator && global.navigator.locks) {
        this._share(options.sharedWorker !== false);
      } else {
        this._connect(); // not asked to share, or no Web Locks (not a secure context, old browser): own connection
      }
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
        // Shared: whoever holds the connection must listen to it too. Types added before the join or the hello
        // travel with it (both are sent a task later), so nothing of that type is missed that an own connection
        // would have delivered.
        if (this._port && this._joined) this._port.postMessage({ op: 'listen', type });
        if (this._channel) {
          this._channel.postMessage({ op: 'listen', types: [type] });
          this._addTypes([type]);
        }
      }
    }

    /** Stops for good: no more events, no reconnect. Shared: the connection stays while another tab reads it. */
    close() {
      this.readyState = CLOSED;
      clearTimeout(this._timer);
      this._timer = null;
      if (this._source) this._source.close();
      this._source = null;
      if (this._inner) this._inner.close();
      this._inner = null;
      if (this._port) {
        if (this._joined) this._port.postMessage({ op: 'leave' });
        this._port.close();
        this._port = null;
      }
      if (this._channel) this._channel.close();
      this._channel = null;
      if (this._abort) this._abort.abort(); // a lock not granted yet: leave the queue
      // A lock held: releasing it tells the worker this tab is gone, or lets the next tab in the queue lead.
      if (this._release) this._release();
      this._release = null;
    }

    /** Drops the current connection (if any) and connects again at once, resuming from lastEventId. Shared: the one connection. */
    reconnect() {
      if (this.readyState === CLOSED) return;
      if (this.sharing === 'worker') {
        if (this._joined) this._port.postMessage({ op: 'reconnect' });
      } else if (this._inner) {
        this._inner.reconnect();
      } else if (this._channel) {
        this._channel.postMessage({ op: 'reconnect' });
      } else {
        clearTimeout(this._timer);
        this._connect();
      }
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

    // ---- Sharing, the tab's side. Whoever holds the connection (the worker, or the leading tab) sends each tab
    // a 'welcome' with the connection's state, then every event of the connection as an 'event' message. ----

    _share(useWorker) {
      this._id = Math.random().toString(36).slice(2) + Date.now().toString(36);
      this._key = JSON.stringify([this.url, this.withCredentials]); // one connection per distinct URL
      this._welcomed = false;
      this._seen = new Set();
      this._abort = new AbortController();
      this._release = null;
      let worker = null;
      if (useWorker && global.SharedWorker && currentScript) {
        try {
          worker = new global.SharedWorker(currentScript, { name: WORKER_NAME });
        } catch (e) {
          worker = null; // the script is on another origin than the page (SecurityError): no worker, elect a tab
        }
      }
      if (worker) {
        this._viaWorker(worker);
      } else if (global.BroadcastChannel) {
        this._viaLeader();
      } else {
        this._connect();
      }
    }

    _viaWorker(worker) {
      this.sharing = 'worker';
      this._port = worker.port;
      this._joined = false;
      this._port.onmessage = (message) => this._relayed(message.data);
      // The worker cannot see a tab close. Each tab holds a lock of its own for its lifetime; the worker queues
      // for it, and is granted it when the tab closes (the browser releases a closed tab's locks) or calls close().
      const lock = 'eventstream.js tab ' + this._id;
      // A script that fails to load in the worker (it cannot: it is this script) would leave the tab waiting.
      worker.onerror = () => {
        if (this._welcomed || this.readyState === CLOSED) return;
        this._port.close();
        this._port = null;
        this._joined = false;
        this._viaLeader();
      };
      global.navigator.locks.request(lock, { signal: this._abort.signal }, () => {
        if (this.readyState === CLOSED || !this._port) return undefined;
        // Granted a task or more after the constructor: listeners added synchronously after it are in types.
        this._port.postMessage({
          op: 'join', key: this._key, url: this.url, withCredentials: this.withCredentials,
          lastEventId: this.lastEventId, initialDelay: this.initialDelay, maxDelay: this.maxDelay,
          types: [...this._types], lock,
        });
        this._joined = true;
        return new Promise((resolve) => { this._release = resolve; });
      }).catch(() => {}); // AbortError: closed before the lock was granted
    }

    _viaLeader() {
      this.sharing = 'follower';
      this._inner = null;
      this._allTypes = new Set(this._types); // every type any tab of this URL listens to: what a new leader forwards
      this._channel = new BroadcastChannel('eventstream.js ' + this._key);
      this._channel.onmessage = (message) => this._heard(message.data);
      // Lock requests are granted in the order they were made: the oldest waiting tab leads next.
      global.navigator.locks.request('eventstream.js leader ' + this._key, { signal: this._abort.signal },
        () => this._lead()).catch(() => {}); // AbortError: closed before leading
      queueMicrotask(() => this._hello()); // after the listeners the caller adds right after the constructor
    }

    _hello() {
      if (this.readyState === CLOSED || this._welcomed || !this._channel) return;
      this._channel.postMessage({ op: 'hello', from: this._id, types: [...this._types] });
    }

    _addTypes(types) {
      types.forEach((type) => {
        if (this._allTypes.has(type)) return;
        this._allTypes.add(type);
        if (this._inner) this._inner.addEventListener(type, this._relay);
      });
    }

    // A message on the BroadcastChannel: every tab of this URL hears every message but its own.
    _heard(message) {
      if (this.readyState === CLOSED) return;
      switch (message.op) {
        case 'hello':
          this._addTypes(message.types);
          if (this._inner) {
            // Sent in order with the relayed events: the new tab's lastEventId is the position right before the next one.
            this._channel.postMessage({
              op: 'welcome', to: message.from, readyState: this._inner.readyState,
              lastEventId: this._inner.lastEventId, types: [...this._allTypes],
            });
          }
          break;
        case 'listen':
          this._addTypes(message.types);
          break;
        case 'welcome':
          // Every tab learns the leader's types, so that whichever leads next forwards what every tab listens to.
          this._addTypes(message.types);
          if (message.to === this._id) this._relayed(message);
          break;
        case 'leader':
          this._hello(); // a tab that no leader answered yet asks the new one
          break;
        case 'reconnect':
          if (this._inner) this._inner.reconnect();
          break;
        case 'event':
          this._relayed(message);
          break;
        default:
          break;
      }
    }

    // This tab got the leader lock: the previous leader's tab closed (or closed its stream), or there was none.
    // It holds the lock, and so leads, until the returned promise settles (close()) or the tab goes away.
    _lead() {
      if (this.readyState === CLOSED || !this._channel) return undefined;
      this.sharing = 'leader';
      this._welcomed = true;
      // Resume from the last event this tab delivered. Events the old leader relayed that this tab has not
      // processed yet are still in its queue: they come once from there and once in the replay, and _deliver
      // drops the second one; events the old leader got but never relayed come in the replay. So no tab misses
      // one, and none sees one twice.
      const inner = new ReconnectingEventSource(this.url, {
        withCredentials: this.withCredentials, lastEventId: this.lastEventId,
        initialDelay: this.initialDelay, maxDelay: this.maxDelay,
      });
      this._inner = inner;
      this._relay = (event) => {
        if (this._inner !== inner) return;
        const message = relayMessage(event);
        this._channel.postMessage(message); // to the others first: a listener here may close this tab's stream
        this._relayed(message);
      };
      ['open', 'error', ...this._allTypes].forEach((type) => inner.addEventListener(type, this._relay));
      this._channel.postMessage({ op: 'leader' });
      return new Promise((resolve) => { this._release = resolve; });
    }

    // A message from whoever holds the connection (the worker, the leader, or this tab as leader).
    _relayed(message) {
      if (this.readyState === CLOSED) return;
      if (message.op === 'welcome') {
        if (this._welcomed) return;
        this._welcomed = true;
        if (message.lastEventId) this.lastEventId = message.lastEventId;
        // A tab joining an open connection gets what a connection of its own would have begun with: open and
        // stream-open with the current position; then the events from now on, not those before it joined.
        if (message.readyState === OPEN) {
          this._deliver({ type: 'open' });
          this._deliver({ type: 'stream-open', data: '{}', lastEventId: this.lastEventId, origin: originOf(this.url) });
        }
      } else if (message.op === 'event' && this._welcomed) {
        this._deliver(message);
      }
    }

    _deliver(message) {
      if (message.type === 'open') {
        this.readyState = OPEN;
        this._dispatch(new Event('open'), this.onopen);
        return;
      }
      if (message.type === 'error') {
        this.readyState = CONNECTING;
        this._dispatch(Object.assign(new Event('error'), { reconnectDelay: message.reconnectDelay }), this.onerror);
        return;
      }
      const id = message.lastEventId;
      if (id && !CONTROL.has(message.type)) {
        // Ids name events: after a takeover, the new leader's replay repeats events this tab already got from the
        // old leader. Deliveries from any mix of in-order copies of one sequence, each event kept at its first
        // copy, are in order: so dropping the repeats keeps the order too.
        if (this._seen.has(id)) return;
        this._seen.add(id);
        if (this._seen.size > REMEMBERED_IDS) this._seen.delete(this._seen.values().next().value);
      }
      if (id) this.lastEventId = id;
      this._dispatch(new MessageEvent(message.type, {
        data: message.data, lastEventId: this.lastEventId, origin: message.origin,
      }), message.type === 'message' ? this.onmessage : null);
      if (message.type === 'stream-error') this.close(); // as for an own connection: the hub ended it on purpose
    }
  }

  // What the holder of a shared connection sends the tabs for one event of its ReconnectingEventSource.
  function relayMessage(event) {
    if (event.type === 'open') return { op: 'event', type: 'open' };
    if (event.type === 'error') return { op: 'event', type: 'error', reconnectDelay: event.reconnectDelay };
    return { op: 'event', type: event.type, data: event.data, lastEventId: event.lastEventId, origin: event.origin };
  }

  function originOf(url) {
    return new URL(url).origin;
  }

  // ---- Sharing, the SharedWorker's side: this script, loaded by _viaWorker as a SharedWorker of that name. ----
  function serveTabs(scope) {
    const connections = new Map(); // key (URL, credentials) -> { source, ports, types }
    const joinedTo = new Map(); // port -> its connection

    function open(key, join) {
      const connection = { key, ports: new Set(), types: new Set() };
      connection.source = new ReconnectingEventSource(join.url, {
        withCredentials: join.withCredentials, lastEventId: join.lastEventId,
        initialDelay: join.initialDelay, maxDelay: join.maxDelay,
      });
      connection.relay = (event) => {
        const message = relayMessage(event);
        connection.ports.forEach((port) => port.postMessage(message));
        // The connection closed itself for good: tabs that join from now on get a new one.
        if (event.type === 'stream-error' && connections.get(key) === connection) connections.delete(key);
      };
      ['open', 'error'].forEach((type) => connection.source.addEventListener(type, connection.relay));
      connections.set(key, connection);
      return connection;
    }

    function listen(connection, types) {
      types.forEach((type) => {
        if (connection.types.has(type) || type === 'open' || type === 'error') return;
        connection.types.add(type);
        connection.source.addEventListener(type, connection.relay);
      });
    }

    function leave(port) {
      const connection = joinedTo.get(port);
      if (!connection) return; // left already: close() sends leave and also releases the lock
      joinedTo.delete(port);
      connection.ports.delete(port);
      if (connection.ports.size === 0) {
        // No tab reads this URL any more: close its connection (the others' stay).
        connection.source.close();
        if (connections.get(connection.key) === connection) connections.delete(connection.key);
      }
    }

    scope.onconnect = (connect) => {
      const port = connect.ports[0];
      port.onmessage = (message) => {
        const data = message.data;
        if (data.op === 'join') {
          if (joinedTo.has(port)) return;
          const connection = connections.get(data.key) || open(data.key, data);
          // The types first, in the same task as the EventSource's creation or between two of its events.
          listen(connection, data.types);
          connection.ports.add(port);
          joinedTo.set(port, connection);
          // Before any event relayed to this port: the tab's position is the one right before the next event.
          port.postMessage({
            op: 'welcome', readyState: connection.source.readyState, lastEventId: connection.source.lastEventId,
          });
          // Granted when the tab releases it: by close(), or by the browser when the tab is gone.
          scope.navigator.locks.request(data.lock, () => leave(port));
        } else if (data.op === 'listen') {
          if (joinedTo.has(port)) listen(joinedTo.get(port), [data.type]);
        } else if (data.op === 'reconnect') {
          if (joinedTo.has(port)) joinedTo.get(port).source.reconnect();
        } else if (data.op === 'leave') {
          leave(port);
        }
      };
    };
  }

  ReconnectingEventSource.CONNECTING = CONNECTING;
  ReconnectingEventSource.OPEN = OPEN;
  ReconnectingEventSource.CLOSED = CLOSED;
  global.ReconnectingEventSource = ReconnectingEventSource;

  // Only in the worker _viaWorker starts, not in an application's own workers that load this script.
  if (typeof SharedWorkerGlobalScope !== 'undefined' && global instanceof SharedWorkerGlobalScope
      && global.name === WORKER_NAME) {
    serveTabs(global);
  }
}(typeof window !== 'undefined' ? window : globalThis));
