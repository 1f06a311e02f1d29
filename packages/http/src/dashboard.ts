/**
 * The dashboard: one page, no build step, no data of its own. It asks for credentials when the
 * API answers 401 (kept in sessionStorage for the tab), lists the jobs, pauses, resumes, runs and
 * removes them, and follows the scheduler's events over a streamed fetch (EventSource cannot send
 * an Authorization header).
 */
export function dashboardPage(prefix: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>jobstore scheduler</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #1d2330; background: #f7f8fa; }
  h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
  #status { color: #56607a; margin-bottom: 1rem; }
  table { border-collapse: collapse; width: 100%; background: #fff; box-shadow: 0 1px 3px #0002; }
  th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #e4e7ee; vertical-align: top; }
  th { background: #eef1f6; font-weight: 600; }
  td.state-paused { color: #a15c00; } td.state-scheduled { color: #17753a; } td.state-unrunnable { color: #b00020; font-weight: 600; }
  td .reason { font-weight: normal; color: #56607a; font-size: .85em; max-width: 28rem; }
  button { margin-right: .25rem; padding: .2rem .55rem; border: 1px solid #b8c0d2; background: #fff; border-radius: 4px; cursor: pointer; }
  button:hover { background: #eef1f6; }
  form#login { background: #fff; padding: 1rem; max-width: 24rem; box-shadow: 0 1px 3px #0002; }
  form#login label { display: block; margin: .4rem 0; }
  form#login input { width: 100%; box-sizing: border-box; padding: .3rem; }
  #error { color: #b00020; min-height: 1.2em; }
  .live { display: inline-block; width: .6rem; height: .6rem; border-radius: 50%; background: #bbb; margin-right: .3rem; }
  .live.on { background: #17a34a; }
</style>
</head>
<body>
<h1>jobstore scheduler</h1>
<div id="status"><span class="live" id="live"></span><span id="state">connecting…</span></div>
<div id="error" role="alert"></div>
<form id="login" hidden>
  <p>This scheduler's API needs credentials.</p>
  <label>Bearer token <input name="token" type="password" autocomplete="off" data-testid="token"></label>
  <p>or</p>
  <label>User <input name="username" autocomplete="username"></label>
  <label>Password <input name="password" type="password" autocomplete="current-password"></label>
  <button type="submit" data-testid="sign-in">Sign in</button>
</form>
<table id="jobs" hidden>
  <thead><tr><th>Job</th><th>Task</th><th>Trigger</th><th>Next run</th><th>Store</th><th>State</th><th></th></tr></thead>
  <tbody></tbody>
</table>
<script>
const API = ${JSON.stringify(prefix)};
const KEY = 'jobstore-dashboard-auth';
const $ = (selector) => document.querySelector(selector);
let streaming = false;

function headers(extra) {
  const auth = sessionStorage.getItem(KEY);
  return Object.assign({ 'x-jobstore-dashboard': '1' }, auth ? { authorization: auth } : {}, extra || {});
}

async function api(method, path, body) {
  const response = await fetch(API + path, { method, headers: headers(body ? { 'content-type': 'application/json' } : {}), body: body ? JSON.stringify(body) : undefined });
  if (response.status === 401) { showLogin(); throw new Error('sign in first'); }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error((data && data.reason) || response.statusText);
  return data;
}

function showLogin() { $('#login').hidden = false; $('#jobs').hidden = true; $('#state').textContent = 'signed out'; }

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function render(jobs) {
  const body = $('#jobs tbody');
  body.replaceChildren();
  for (const job of jobs) {
    const tr = document.createElement('tr');
    tr.dataset.jobId = job.id;
    const name = job.name && job.name !== job.func ? job.id + ' (' + job.name + ')' : job.id;
    const state = cell(job.state, 'state-' + job.state);
    // Why this process cannot run the job, and what to do: shown, not hidden in a tooltip.
    if (job.state_reason) {
      const reason = document.createElement('div');
      reason.className = 'reason';
      reason.dataset.testid = 'state-reason';
      reason.textContent = job.state_reason;
      state.append(reason);
    }
    tr.append(cell(name), cell(job.func), cell(job.description || job.trigger), cell(job.next_run_time ? new Date(job.next_run_time).toLocaleString() : '—'), cell(job.jobstore), state);
    const actions = document.createElement('td');
    const button = (label, action) => {
      const b = document.createElement('button');
      b.textContent = label;
      b.dataset.action = action;
      b.addEventListener('click', () => act(job.id, action));
      actions.append(b);
    };
    // An unrunnable job may be paused too: its next run time tells.
    if (job.next_run_time === null) button('Resume', 'resume'); else button('Pause', 'pause');
    button('Run now', 'run');
    button('Remove', 'remove');
    tr.append(actions);
    body.append(tr);
  }
  $('#jobs').hidden = false;
  $('#login').hidden = true;
}

async function act(id, action) {
  try {
    if (action === 'remove') {
      if (!confirm('Remove job ' + id + '?')) return;
      await api('DELETE', '/jobs/' + encodeURIComponent(id));
    } else {
      await api('POST', '/jobs/' + encodeURIComponent(id) + '/' + action);
    }
    $('#error').textContent = '';
    await refresh();
  } catch (error) { $('#error').textContent = error.message; }
}

async function refresh() {
  try {
    const [info, jobs] = await Promise.all([api('GET', ''), api('GET', '/jobs')]);
    $('#state').textContent = 'scheduler ' + info.state + ' on ' + info.current_host + ' · ' + jobs.length + ' job(s)';
    render(jobs);
    follow();
  } catch (error) { if (error.message !== 'sign in first') $('#error').textContent = error.message; }
}

let pending;
function soon() { clearTimeout(pending); pending = setTimeout(refresh, 150); }

async function follow() {
  if (streaming) return;
  streaming = true;
  let retryMs = 2000;
  try {
    const response = await fetch(API + '/events', { headers: headers() });
    // A full server says when to come back; a dropped or new stream may have missed changes: reload the list.
    if (response.status === 503) retryMs = 1000 * Math.max(2, Number(response.headers.get('retry-after')) || 10);
    if (!response.ok || !response.body) throw new Error('no event stream');
    $('#live').classList.add('on');
    soon();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\\n\\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^event: /m.test(block)) soon();
      }
    }
  } catch (error) { /* reconnect below */ }
  $('#live').classList.remove('on');
  streaming = false;
  setTimeout(follow, retryMs);
}

$('#login').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const token = String(form.get('token') || '');
  const user = String(form.get('username') || '');
  const auth = token ? 'Bearer ' + token : 'Basic ' + btoa(unescape(encodeURIComponent(user + ':' + String(form.get('password') || ''))));
  sessionStorage.setItem(KEY, auth);
  refresh();
});

refresh();
</script>
</body>
</html>
`;
}
