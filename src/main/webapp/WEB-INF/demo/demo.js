// The demo page: subscribe with eventstream.js's ReconnectingEventSource, publish through the HTTP endpoint.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const CONTROL = ['stream-open', 'stream-reset', 'stream-error'];
  let source = null;
  let clock = null;

  function state(element, text, kind) {
    element.textContent = text;
    element.className = 'state' + (kind ? ' ' + kind : '');
  }

  function addRow(event) {
    const row = document.createElement('tr');
    [new Date().toLocaleTimeString(), event.lastEventId || '', event.type, event.data].forEach((text, i) => {
      const cell = document.createElement('td');
      cell.textContent = text;
      if (i === 3) cell.className = 'data';
      row.appendChild(cell);
    });
    $('events').prepend(row);
    while ($('events').rows.length > 200) $('events').deleteRow(-1);
  }

  function channels() {
    return $('channels').value.split(',').map((c) => c.trim()).filter((c) => c.length > 0);
  }

  // Named event types reach only the listeners of that name: listen to every type we have seen announced.
  const listened = new Set();
  function listen(type) {
    if (!source || listened.has(type)) return;
    listened.add(type);
    source.addEventListener(type, addRow);
  }

  // How this tab's connection is shared: what the page shows, and (as data-sharing) what SharedTabsIT reads to
  // tell the leading tab from the others.
  const SHARING = {
    worker: 'shared with this browser\'s other tabs through a SharedWorker',
    leader: 'shared: this tab holds the connection for the others',
    follower: 'shared: another tab holds the connection',
  };

  function showSharing() {
    const sharing = source ? source.sharing : '';
    $('connection').dataset.sharing = sharing;
    $('sharing-state').textContent = SHARING[sharing] || '';
  }

  function connect(event) {
    event.preventDefault();
    disconnect();
    const sharing = $('sharing').value;
    source = new ReconnectingEventSource(ReconnectingEventSource.url(channels()),
      { shared: sharing !== '', sharedWorker: sharing !== 'leader' });
    listened.clear();
    ['message', $('pub-event').value.trim(), ...CONTROL].forEach(listen);
    source.addEventListener('open', () => {
      state($('connection'), 'connected to ' + channels().join(', '), 'ok');
      // When this tab last saw the connection open (ms since the epoch): how long a takeover took.
      $('connection').dataset.openedAt = String(Date.now());
      showSharing(); // a follower becomes the leader just before the connection it opens reports open
    });
    source.addEventListener('error', (e) => {
      state($('connection'), 'connection lost, reconnecting in ' + (e.reconnectDelay / 1000).toFixed(1) + ' s', 'error');
      showSharing();
    });
    source.addEventListener('stream-reset', (e) => state($('connection'),
      'events missed on ' + JSON.parse(e.data).channels.join(', ') + ' are gone: reload their state', 'error'));
    source.addEventListener('stream-error', (e) => state($('connection'),
      'closed by the hub: ' + (JSON.parse(e.data).text || ''), 'error'));
    $('disconnect').disabled = false;
    showSharing();
  }

  function disconnect() {
    if (source) source.close();
    source = null;
    $('disconnect').disabled = true;
    state($('connection'), 'not connected');
    showSharing();
  }

  async function publish(event) {
    event.preventDefault();
    let data;
    try {
      data = JSON.parse($('pub-data').value);
    } catch (e) {
      state($('publish-result'), 'data is not valid JSON: ' + e.message, 'error');
      return;
    }
    const type = $('pub-event').value.trim() || 'message';
    listen(type);
    const response = await fetch('events/' + $('pub-channel').value.trim().split('/').map(encodeURIComponent).join('/'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer ' + $('pub-token').value },
      body: JSON.stringify({ event: type, data: data }),
    });
    const body = await response.json().catch(() => ({}));
    if (response.ok) {
      state($('publish-result'), 'published, id ' + body.id, 'ok');
    } else {
      state($('publish-result'), response.status + ' ' + (body.condition || '') + ': ' + (body.text || ''), 'error');
    }
  }

  function toggleClock() {
    if (clock) {
      clock.close();
      clock = null;
      $('clock-toggle').textContent = 'Start';
      return;
    }
    clock = new EventSource('streams/clock');
    clock.addEventListener('time', (e) => { $('clock-time').textContent = JSON.parse(e.data).time; });
    $('clock-toggle').textContent = 'Stop';
  }

  // ?shared=1 (or ?shared=leader) in the page's URL picks a shared connection, e.g. for a link opened in several tabs.
  const shared = new URLSearchParams(location.search).get('shared');
  if (shared) $('sharing').value = shared === 'leader' ? 'leader' : 'shared';

  $('subscribe').addEventListener('submit', connect);
  $('disconnect').addEventListener('click', disconnect);
  $('publish').addEventListener('submit', publish);
  $('clock-toggle').addEventListener('click', toggleClock);
}());
