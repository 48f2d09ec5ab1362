// The admin page: renders each `cluster` event of the hub's feed (admin/stream, opened with EventSource), and
// looks up one channel (admin/channels/{channel}). Everything from the hub is put in the page as text, never as
// HTML: channel names and event data come from publishers.
'use strict';
(function () {
  const byId = id => document.getElementById(id);
  const count = new Intl.NumberFormat('en');
  const rate = new Intl.NumberFormat('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

  function text(id, value) {
    byId(id).textContent = value;
  }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const [value, numeric] of cells) {
      const td = document.createElement('td');
      td.textContent = value;
      if (numeric) {
        td.className = 'n';
      }
      tr.appendChild(td);
    }
    return tr;
  }

  function since(millis) {
    return new Date(millis).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  }

  function render(snapshot) {
    const totals = snapshot.totals;
    text('total-up', count.format(totals.up));
    text('total-nodes', count.format(totals.nodes));
    text('total-connections', count.format(totals.connections));
    text('total-in-rate', rate.format(totals.eventsInPerSecond));
    text('total-out-rate', rate.format(totals.eventsOutPerSecond));
    text('total-in', count.format(totals.eventsIn));
    text('total-out', count.format(totals.eventsOut));
    text('total-resets', count.format(totals.resets));
    text('total-drops', count.format(totals.drops));
    byId('nodes').tBodies[0].replaceChildren(...snapshot.nodes.map(node => {
      const tr = row([[node.node + (node.self ? ' (this node)' : '')], [node.state], [since(node.startedAt)],
        [count.format(node.connections), true], [count.format(node.channels), true],
        [rate.format(node.eventsInPerSecond), true], [rate.format(node.eventsOutPerSecond), true],
        [count.format(node.eventsIn), true], [count.format(node.eventsOut), true],
        [count.format(node.resets), true], [count.format(node.drops), true]]);
      tr.dataset.state = node.state;
      return tr;
    }));
    byId('busiest').tBodies[0].replaceChildren(...snapshot.busiest.map(channel =>
      row([[channel.channel], [count.format(channel.subscribers), true]])));
    byId('no-channels').hidden = snapshot.busiest.length > 0;
    text('updated', 'updated ' + since(snapshot.at));
  }

  function feedState(state) {
    const feed = byId('feed');
    feed.dataset.state = state;
    feed.textContent = state;
  }

  const feed = new EventSource('stream');
  feed.addEventListener('open', () => feedState('live'));
  feed.addEventListener('cluster', event => {
    feedState('live');
    render(JSON.parse(event.data));
  });
  feed.addEventListener('error', () => {
    // EventSource reconnects by itself after a network failure; it gives up on a refusal (the login is no longer
    // valid: the token changed), which only logging in again mends.
    feedState(feed.readyState === EventSource.CLOSED ? 'closed: reload the page to log in again' : 'reconnecting');
  });

  async function lookUp(channel) {
    const error = byId('result-error');
    const path = channel.split('/').map(encodeURIComponent).join('/');
    const answer = await fetch('channels/' + path, { credentials: 'same-origin', cache: 'no-store' });
    const body = await answer.json();
    if (!answer.ok) {
      byId('result').hidden = true;
      error.textContent = body.text || ('refused (' + answer.status + ')');
      error.hidden = false;
      return;
    }
    error.hidden = true;
    text('result-channel', body.channel);
    text('result-subscribers', count.format(body.subscribers));
    byId('result-events').tBodies[0].replaceChildren(...body.events.map(event =>
      row([[event.id], [event.event], [JSON.stringify(event.data)]])));
    byId('result-none').hidden = body.events.length > 0;
    byId('result').hidden = false;
  }

  byId('search').addEventListener('submit', submit => {
    submit.preventDefault();
    lookUp(byId('channel').value.trim()).catch(failure => {
      byId('result-error').textContent = 'the hub did not answer: ' + failure.message;
      byId('result-error').hidden = false;
    });
  });
})();
