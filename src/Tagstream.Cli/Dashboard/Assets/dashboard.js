// The Tagstream dashboard: listens to /api/stream (Server-Sent Events) and shows each batch without reloading.
// The server draws the chart (SVG) once per batch for every viewer; this script only fills in text and the table.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const main = $('dashboard');
  const numbers = new Intl.NumberFormat('en-US');
  const viewLabels = { all: 'All time', window: 'Window', trending: 'Trending' };

  let view = 'all';
  let source = null;
  let clockOffset = 0;      // server clock minus this browser's, from the hello event
  let started = null;       // when the server started, server clock
  let current = null;       // the batch shown now
  let retryDelay = 1000;
  let retryTimer = null;

  function setState(state, text) {
    const status = $('connection');
    if (status.dataset.state === state && status.textContent === text) return;
    status.dataset.state = state;
    status.textContent = text;
  }

  function pad(n) { return String(n).padStart(2, '0'); }

  function formatTime(iso) {
    const t = new Date(iso);
    return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ` +
      `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
  }

  function formatDuration(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return h > 0 ? `${h}h ${pad(m)}m ${pad(s % 60)}s` : m > 0 ? `${m}m ${pad(s % 60)}s` : `${s}s`;
  }

  function formatRate(perSecond) {
    return perSecond >= 100 ? numbers.format(Math.round(perSecond)) : perSecond.toFixed(1);
  }

  function renderViews(views) {
    const box = $('views');
    box.querySelectorAll('label').forEach((label) => label.remove());
    // One ranking needs no switch; the window and trending views appear when the counter keeps them.
    box.hidden = views.length < 2;
    for (const name of views) {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.type = 'radio';
      input.name = 'view';
      input.value = name;
      input.checked = name === view;
      input.addEventListener('change', () => {
        if (!input.checked) return;
        view = name;
        current = null;
        connect();
      });
      label.append(input, ' ', viewLabels[name] || name);
      box.append(label);
    }
    if (!views.includes(view)) {
      view = views[0] || 'all';
    }
  }

  function cell(text, className) {
    const td = document.createElement('td');
    if (className) td.className = className;
    td.textContent = text;
    return td;
  }

  // The trending view ranks by score: its table shows the score, the window count and the expected count.
  function renderTable(batch) {
    const trending = view === 'trending' && Array.isArray(batch.trending);
    const entries = trending ? batch.trending : batch.top;
    const rows = entries.map((entry, i) => {
      const row = document.createElement('tr');
      const tag = document.createElement('th');
      tag.scope = 'row';
      tag.lang = '';
      tag.textContent = entry.hashtag;
      if (trending) {
        row.append(cell(String(i + 1)), tag, cell(entry.score.toFixed(2), 'number'),
          cell(numbers.format(entry.window_count), 'number'), cell(entry.expected.toFixed(1), 'number'));
      } else {
        const total = cell(numbers.format(entry.total), 'number');
        total.dataset.total = String(entry.total);
        row.append(cell(String(i + 1)), tag, total);
      }
      return row;
    });
    const headings = trending ? ['Rank', 'Hashtag', 'Score', 'Window count', 'Expected'] : ['Rank', 'Hashtag', view === 'window' ? 'Window count' : 'Total'];
    document.querySelector('#ranking thead tr').replaceChildren(...headings.map((text, i) => {
      const th = document.createElement('th');
      th.scope = 'col';
      if (i > 1) th.className = 'number';
      th.textContent = text;
      return th;
    }));
    document.querySelector('#ranking tbody').replaceChildren(...rows);
    $('ranking-caption').textContent = trending
      ? `Top ${entries.length} trending hashtags by score, highest first (score = (window count + a) / (expected + a))`
      : `Top ${entries.length} hashtags by ${view === 'window' ? 'window count' : 'total'}, highest first`;
  }

  function show(batch) {
    // Rates need the batch just before this one in the same stream; after a gap they wait for the next batch.
    const before = current && current.batch === batch.batch - 1 ? current : null;
    current = batch;

    const time = formatTime(batch.time);
    $('time').textContent = `TIME: ${time}`;
    $('source').textContent = batch.source;
    $('distinct').textContent = numbers.format(batch.distinct_tags);
    $('batches').textContent = numbers.format(batch.batch);
    $('malformed').textContent = numbers.format(batch.malformed);
    const seconds = before ? (Date.parse(batch.time) - Date.parse(before.time)) / 1000 : 0;
    $('posts-rate').textContent = seconds > 0 ? formatRate(batch.posts / seconds) : '—';
    $('tags-rate').textContent = seconds > 0 ? formatRate(batch.tags / seconds) : '—';
    renderTable(batch);

    const chart = $('chart');
    chart.onload = () => {
      const delay = Date.now() + clockOffset - Date.parse(batch.time);
      $('delay').textContent = delay < 1000 ? `${Math.max(0, Math.round(delay))} ms` : `${(delay / 1000).toFixed(1)} s`;
    };
    chart.alt = `Bar chart of the top ${batch.top.length} hashtags at ${time}; the same ranking is in the table below.`;
    chart.src = `/api/chart.svg?view=${encodeURIComponent(view)}&batch=${batch.batch}`;
    $('waiting').hidden = true;

    main.dataset.batch = String(batch.batch);
    main.dataset.updates = String(Number(main.dataset.updates) + 1);
    setState('live', 'Live');
  }

  function connect() {
    if (source) source.close();
    clearTimeout(retryTimer);
    setState('connecting', 'Connecting…');
    source = new EventSource(`/api/stream?view=${encodeURIComponent(view)}`);
    source.addEventListener('hello', (event) => {
      const hello = JSON.parse(event.data);
      clockOffset = Date.parse(hello.server_time) - Date.now();
      started = Date.parse(hello.started);
      retryDelay = 1000;
      renderViews(hello.views);
      if (current) {
        setState('live', 'Live');
      } else {
        setState('waiting', 'Waiting for data…');
      }
    });
    source.addEventListener('batch', (event) => show(JSON.parse(event.data)));
    source.addEventListener('error', () => {
      setState('disconnected', 'Disconnected: reconnecting…');
      // The browser retries by itself while the stream is only interrupted; once it gives up (the server
      // refused or is gone), try again here with a growing pause.
      if (source.readyState === EventSource.CLOSED) {
        retryTimer = setTimeout(connect, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 15000);
      }
    });
  }

  setInterval(() => {
    if (started !== null) {
      $('uptime').textContent = formatDuration(Date.now() + clockOffset - started);
    }
  }, 1000);

  connect();
})();
