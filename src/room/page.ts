/**
 * The instructor's page: one self-contained HTML document (inline style and script, nothing fetched
 * from elsewhere, so it works on a classroom network without internet). The grid is rendered here, on
 * the server, and pushed whole to the page over Server-Sent Events: the browser only swaps it in, so the
 * only place untrusted text (learner names, check names) is turned into HTML is `escapeHtml` below.
 */
import type { CellView, LearnerView, RoomSnapshot } from './room-state.js';
import { PAGE_SCRIPT, PAGE_STYLE } from './page-assets.js';

/**
 * A learner failing one exercise for this long is probably stuck: the cell is drawn darker so the
 * instructor's eye goes there first. Ten minutes is about one re-read of a hint and two more tries.
 */
export const STUCK_AFTER_MS = 10 * 60_000;
/** A learner silent for this long may have lost the connection (or gone for coffee); greyed out. */
export const QUIET_AFTER_MS = 15 * 60_000;

/** A hollow circle: "nothing here yet", quieter than ✅/❌ so the eye skips it. */
export const UNCHECKED_MARK = '○';

const MS_PER_MINUTE = 60_000;
const MINUTES_PER_HOUR = 60;
const HOURS_PER_DAY = 24;

/** Everything that came from a learner goes through here before it becomes HTML. */
export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A duration at the grain an instructor needs: "under a minute", "12 min", "1 h 05 min", "2 days". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / MS_PER_MINUTE);
  if (minutes < 1) return 'under a minute';
  if (minutes < MINUTES_PER_HOUR) return `${minutes} min`;
  const hours = Math.floor(minutes / MINUTES_PER_HOUR);
  if (hours < HOURS_PER_DAY) return `${hours} h ${String(minutes % MINUTES_PER_HOUR).padStart(2, '0')} min`;
  const days = Math.floor(hours / HOURS_PER_DAY);
  return `${days} day${days === 1 ? '' : 's'}`;
}

/** `scaleTransactionsConfirmed` may wrap at its capitals, so ten columns (core and deep dives) fit a laptop screen. */
function breakableId(id: string): string {
  return escapeHtml(id).replace(/([a-z])([A-Z])/g, '$1<wbr>$2');
}

function clock(iso: string): string {
  return iso.slice(11, 16);
}

function cellHtml(exerciseId: string, cell: CellView, nowMs: number): string {
  const data = `data-exercise="${escapeHtml(exerciseId)}" data-state="${cell.state}"`;
  switch (cell.state) {
    case 'passed':
      return `<td class="cell passed" ${data} title="passed at ${clock(cell.at)} (UTC)"><span class="mark">✅</span></td>`;
    case 'failing': {
      const forMs = nowMs - Date.parse(cell.since);
      const stuck = forMs >= STUCK_AFTER_MS ? ' stuck' : '';
      const check = cell.failingCheck ?? '';
      const tries = `${cell.tries} ${cell.tries === 1 ? 'try' : 'tries'}`;
      return `<td class="cell failing${stuck}" ${data} title="${escapeHtml(check)}">` +
        `<span class="mark">❌</span><span class="check">${escapeHtml(check || 'failing')}</span>` +
        `<span class="since">for ${formatDuration(forMs)} · ${tries}</span></td>`;
    }
    case 'unchecked':
      return `<td class="cell unchecked" ${data} title="not checked yet"><span class="mark">${UNCHECKED_MARK}</span></td>`;
  }
}

function learnerRow(learner: LearnerView, exerciseIds: readonly string[], nowMs: number): string {
  const quietMs = nowMs - Date.parse(learner.lastSeenAt);
  const classes = [learner.started ? '' : 'not-started', quietMs >= QUIET_AFTER_MS ? 'quiet' : ''].filter(Boolean).join(' ');
  const badge = learner.started ? '' : ' <span class="badge">not started</span>';
  const cells = exerciseIds.map((id) => cellHtml(id, learner.cells[id] ?? { state: 'unchecked' }, nowMs)).join('');
  return `<tr data-learner="${escapeHtml(learner.learnerId)}"${classes ? ` class="${classes}"` : ''}>` +
    `<th class="learner" scope="row"><span class="name">${escapeHtml(learner.name)}</span>${badge}</th>` +
    `<td class="count">${learner.passedCount}/${exerciseIds.length}</td>${cells}` +
    `<td class="seen">${quietMs < MS_PER_MINUTE ? 'just now' : `${formatDuration(quietMs)} ago`}</td></tr>`;
}

/** The part of the page that changes: the summary line and the grid. Pushed to the page on each change. */
export function renderRoom(snapshot: RoomSnapshot): string {
  const nowMs = Date.parse(snapshot.generatedAt);
  const ids = snapshot.exercises.map((e) => e.id);
  if (snapshot.learners.length === 0) {
    return '<p class="empty">No learner has joined yet. Hand out the join line that <code>lnlab class serve</code> printed; each learner appears here as they join.</p>';
  }
  const notStarted = snapshot.learners.filter((l) => !l.started);
  const passed = snapshot.learners.reduce((sum, l) => sum + l.passedCount, 0);
  const total = snapshot.learners.length * ids.length;
  const summary = `<p class="summary"><strong>${snapshot.learners.length}</strong> learner${snapshot.learners.length === 1 ? '' : 's'}` +
    ` · <strong>${snapshot.learners.length - notStarted.length}</strong> working · <strong>${notStarted.length}</strong> not started` +
    ` · <strong>${passed}</strong>/${total} exercises passed · updated ${clock(snapshot.generatedAt)} UTC</p>`;
  const head = snapshot.exercises.map((e, i) =>
    `<th class="exercise" scope="col" title="${escapeHtml(e.title)}"><span class="number">${i + 1}</span> ${breakableId(e.id)}<small>${escapeHtml(e.notebook)}</small></th>`).join('');
  const rows = snapshot.learners.map((l) => learnerRow(l, ids, nowMs)).join('\n');
  const working = snapshot.learners.length - notStarted.length;
  const passing = snapshot.exercises.map((e) => `<td class="passing">${e.passing}/${working}</td>`).join('');
  const common = snapshot.exercises.map((e) => e.commonFailingCheck
    ? `<td class="common" data-exercise="${escapeHtml(e.id)}"><span class="check">${escapeHtml(e.commonFailingCheck.name)}</span><small>${e.commonFailingCheck.learners} of ${e.failing} failing</small></td>`
    : `<td class="common none" data-exercise="${escapeHtml(e.id)}">—</td>`).join('');
  const waiting = notStarted.length === 0 ? '' :
    `<p class="waiting">Joined, not started yet: ${notStarted.map((l) => `<span class="name">${escapeHtml(l.name)}</span>`).join(', ')}</p>`;
  return `${summary}
<div class="scroll"><table class="grid">
<thead><tr><th class="learner" scope="col">learner</th><th class="count" scope="col">passed</th>${head}<th class="seen" scope="col">last heard</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot>
<tr class="passing-row"><th scope="row">passing</th><td></td>${passing}<td></td></tr>
<tr class="common-row"><th scope="row">most common failing check</th><td></td>${common}<td></td></tr>
</tfoot>
</table></div>
${waiting}
<p class="legend">✅ passed · ❌ failing: the first failing check, for how long, how many tries (dark red after ${STUCK_AFTER_MS / MS_PER_MINUTE} min) · ${UNCHECKED_MARK} not checked yet · a grey row has not been heard from for ${QUIET_AFTER_MS / MS_PER_MINUTE} min</p>`;
}

/** The whole page. `nonce` unlocks its one style and one script under the page's Content-Security-Policy. */
export function renderPage(snapshot: RoomSnapshot, options: { nonce: string; eventsUrl: string; title: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(options.title)}</title>
<style nonce="${options.nonce}">${PAGE_STYLE}</style></head>
<body>
<header><h1>⚡️ ${escapeHtml(options.title)}</h1><span id="live" class="live off" role="status">connecting…</span></header>
<main id="room" data-events="${escapeHtml(options.eventsUrl)}">
${renderRoom(snapshot)}
</main>
<script nonce="${options.nonce}">${PAGE_SCRIPT}</script>
</body></html>
`;
}

/** A short page for a browser that came without the right view token. */
export function renderRefusal(message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lightning Lab — class server</title></head>
<body><h1>Lightning Lab — class server</h1><p>${escapeHtml(message)}</p></body></html>
`;
}
