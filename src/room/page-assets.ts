/**
 * The instructor page's style sheet and script, inlined into the page (no CDN, no external file: a
 * classroom network may have no internet, and the page's Content-Security-Policy allows nothing else).
 */

/** Laid out for a projector or a laptop at arm's length: big marks, the failing check in small print. */
export const PAGE_STYLE = `
:root { --ink: #1d2330; --muted: #6b7280; --line: #e3e6eb; --pass: #e6f5ea; --fail: #fdeeee; --stuck: #f5c6c6; --fail-ink: #8b1d1d; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f6f7f9; }
header { display: flex; align-items: center; gap: 1rem; padding: .8rem 1.5rem; background: #1f2430; color: #fff; }
h1 { margin: 0; font-size: 1.25rem; font-weight: 600; }
.live { margin-left: auto; padding: .15rem .7rem; border-radius: 999px; font-size: .85rem; }
.live.on { background: #1f7a3f; } .live.off { background: #6b7280; }
main { padding: 1rem 1.5rem 2rem; }
.summary { margin: 0 0 .8rem; color: var(--muted); } .summary strong { color: var(--ink); }
.scroll { overflow-x: auto; width: fit-content; max-width: 100%; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
table.grid { border-collapse: separate; border-spacing: 0; }
.grid th, .grid td { padding: .45rem .6rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
.grid thead th { position: sticky; top: 0; background: #fafbfc; font-size: .85rem; font-weight: 600; white-space: nowrap; }
.grid thead th.exercise { white-space: normal; }
.grid thead small { display: block; color: var(--muted); font-weight: 400; }
.grid .number { display: inline-block; min-width: 1.3rem; color: var(--muted); }
.grid th.learner { position: sticky; left: 0; background: #fff; min-width: 9rem; max-width: 14rem; font-weight: 600; overflow-wrap: anywhere; }
.grid thead th.learner { background: #fafbfc; }
.grid td.count, .grid td.seen, .grid td.passing { white-space: nowrap; color: var(--muted); font-size: .85rem; }
.cell { min-width: 7rem; max-width: 13rem; }
.cell .mark { font-size: 1.15rem; }
.cell.passed { background: var(--pass); }
.cell.failing { background: var(--fail); color: var(--fail-ink); }
.cell.failing.stuck { background: var(--stuck); }
.cell.unchecked .mark { color: #c3c8d0; }
.cell .check, .common .check { display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; font-size: .78rem; line-height: 1.25; }
.cell .since { display: block; margin-top: .2rem; font-size: .72rem; opacity: .85; }
tr.not-started th.learner .name { font-style: italic; color: var(--muted); }
tr.quiet { opacity: .55; }
.badge { display: inline-block; margin-left: .35rem; padding: 0 .45rem; border-radius: 999px; background: #eceff3; color: var(--muted); font-size: .72rem; font-weight: 500; }
tfoot th, tfoot td { background: #fafbfc; font-size: .85rem; }
tfoot th { white-space: nowrap; }
.common small { display: block; color: var(--muted); font-size: .72rem; margin-top: .15rem; }
.common.none { color: #b8bec8; }
.waiting { margin-top: 1rem; } .waiting .name { font-weight: 600; }
.legend, .empty { color: var(--muted); font-size: .85rem; }
code { font-size: .9em; background: #eceff3; padding: 0 .25rem; border-radius: 4px; }
`;

/**
 * Swaps in each grid the server pushes, and says whether the page is live. The browser's EventSource
 * reconnects by itself after a dropped connection or a server restart; the grid stays as it was meanwhile.
 */
export const PAGE_SCRIPT = `
(function () {
  var room = document.getElementById('room');
  var live = document.getElementById('live');
  var source = new EventSource(room.getAttribute('data-events'));
  function show(text, on) { live.textContent = text; live.className = on ? 'live on' : 'live off'; }
  source.addEventListener('room', function (event) {
    room.innerHTML = JSON.parse(event.data).html;
    show('\\u25CF live', true);
  });
  source.addEventListener('error', function () {
    show(source.readyState === EventSource.CLOSED ? 'disconnected: reload the page' : '\\u25CB reconnecting\\u2026', false);
  });
})();
`;
