/**
 * A live workshop, end to end, with real processes, files, sockets and a real Chromium: the instructor
 * runs `lnlab class serve`; three learners (each with their own LNLAB_HOME) join with the printed line
 * or the printed variable — one first with a wrong token, refused — and report verdicts; one learner is
 * cut off the network and keeps working; the server is restarted in between; the learner reconnects
 * and catches up. The instructor's page shows the right grid, updates live, and nothing was lost.
 */
import { existsSync, mkdirSync, readFileSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXERCISES, exerciseById, findFreePort, loadTests } from '../../src/internal.js';
import { flushReports, reportVerdicts, type RoomVerdict } from '../../src/room/reporter.js';
import type { RoomSnapshot } from '../../src/room/room-state.js';
import { runLnlab } from '../helpers/cli.js';
import { useTempDirs } from '../grade/temp-dirs.js';
import { cellText, ClassServerProcess, eventually, NetworkCable, openBrowser, type ServeLines } from './helpers.js';

const tempDir = useTempDirs('lnlab-room-');
const MINUTE_MS = 60_000;
/** A learner's name that tries to inject markup into the instructor's page. */
const HOSTILE_NAME = 'Carol <img src=x onerror=alert(1)>';

let root: string;
let dataDir: string;
let port: number;
let server: ClassServerProcess;
let lines: ServeLines;
let bobCable: NetworkCable;
const home = { instructor: '', alice: '', bob: '', carol: '' };
let closeBrowser: (() => Promise<void>) | undefined;
/** Real check names from the registry, so the page is tested with the text it will really show. */
let checkNames: Record<string, string[]>;

function ago(minutes: number): string {
  return new Date(Date.now() - minutes * MINUTE_MS).toISOString();
}

function fail(exercise: string, check: string, minutesAgo: number, via: RoomVerdict['via'] = 'check-cell'): RoomVerdict {
  return { exercise, passed: false, failingCheck: check, via, at: ago(minutesAgo) };
}

function pass(exercise: string, minutesAgo: number, via: RoomVerdict['via'] = 'check-cell'): RoomVerdict {
  return { exercise, passed: true, via, at: ago(minutesAgo) };
}

async function room(): Promise<RoomSnapshot> {
  const response = await fetch(lines.viewUrl.replace('/?view=', '/api/room?view='));
  expect(response.status).toBe(200);
  return (await response.json()) as RoomSnapshot;
}

function learnerIn(snapshot: RoomSnapshot, name: string) {
  const learner = snapshot.learners.find((l) => l.name === name);
  if (!learner) throw new Error(`no learner "${name}" in the room: ${snapshot.learners.map((l) => l.name).join(', ')}`);
  return learner;
}

/** Report ids in a learner's outbox, in the order they were recorded. */
function outboxIds(learnerHome: string): string[] {
  return readFileSync(join(learnerHome, 'class-outbox.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { reportId: string }).reportId);
}

/** Report ids the server saved for a learner, in the order it saved them. */
function savedIds(learnerId: string): string[] {
  return readFileSync(join(dataDir, 'reports.jsonl'), 'utf8').split('\n').filter(Boolean)
    .map((l) => JSON.parse(l) as { type: string; learnerId: string; reportId?: string })
    .filter((r) => r.type === 'report' && r.learnerId === learnerId)
    .map((r) => r.reportId!);
}

function learnerIdOf(learnerHome: string): string {
  return (JSON.parse(readFileSync(join(learnerHome, 'class.json'), 'utf8')) as { learnerId: string }).learnerId;
}

beforeAll(async () => {
  root = await tempDir();
  for (const name of Object.keys(home) as Array<keyof typeof home>) home[name] = join(root, name);
  dataDir = join(root, 'class-server');
  port = await findFreePort();
  server = new ClassServerProcess(dataDir, port, home.instructor);
  lines = await server.lines;
  bobCable = new NetworkCable(port);
  await bobCable.online();
  checkNames = {};
  for (const id of ['blockConnected', 'transactionsConfirmed', 'watchChannel', 'updateMonitor']) {
    checkNames[id] = (await loadTests(exerciseById(id))).map((t) => t.name);
  }
});

afterAll(async () => {
  await closeBrowser?.();
  await bobCable?.offline();
  server?.command.kill();
});

describe('lnlab class: a live workshop', () => {
  it('learners join with the printed line or variable; a wrong token is refused with a clear error', async () => {
    expect(lines.url).toBe(`http://127.0.0.1:${port}`);
    expect(lines.envLine).toBe(`LNLAB_CLASS=${lines.url}#${lines.joinToken}`);

    const alice = await runLnlab(['class', 'join', lines.url, lines.joinToken, '--name', 'Alice'], { LNLAB_HOME: home.alice });
    expect(alice.stderr).toBe('');
    expect(alice.code).toBe(0);
    expect(alice.stdout).toContain(`joined the class at ${lines.url} as "Alice"`);
    expect(alice.stdout).toContain('Never your code');

    // Bob is handed the variable instead, and reaches the server through a cable we can unplug.
    const bobClass = `http://127.0.0.1:${bobCable.port}#${lines.joinToken}`;
    const bob = await runLnlab(['class', 'join', '--name', 'Bob'], { LNLAB_HOME: home.bob, LNLAB_CLASS: bobClass });
    expect(bob.code).toBe(0);

    const typo = `${lines.joinToken.slice(0, -1)}${lines.joinToken.endsWith('A') ? 'B' : 'A'}`;
    const refused = await runLnlab(['class', 'join', lines.url, typo, '--name', HOSTILE_NAME], { LNLAB_HOME: home.carol });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`refused the join token ${typo}`);
    expect(refused.stderr).toContain('compare it with the join line your instructor gave you');
    expect(existsSync(join(home.carol, 'class.json'))).toBe(false);
    const carol = await runLnlab(['class', 'join', lines.url, lines.joinToken, '--name', HOSTILE_NAME], { LNLAB_HOME: home.carol });
    expect(carol.code).toBe(0);

    await server.command.waitFor(/refused a request from 127\.0\.0\.1: a wrong join token/, 5_000);
    const snapshot = await room();
    expect(snapshot.learners.map((l) => l.name).sort()).toEqual(['Alice', 'Bob', HOSTILE_NAME].sort());
    expect(snapshot.learners.every((l) => !l.started)).toBe(true);
  });

  it('check cells and lnlab grade report verdicts; the room shows the latest, the failing check and its streak', async () => {
    const [tcFirst] = checkNames.transactionsConfirmed!;
    const wcSecond = checkNames.watchChannel![1]!;
    reportVerdicts([pass('blockConnected', 40), fail('transactionsConfirmed', tcFirst!, 25), fail('transactionsConfirmed', tcFirst!, 5)], { home: home.alice });
    reportVerdicts([fail('watchChannel', wcSecond, 30, 'grade'), pass('updateMonitor', 28, 'grade')], { home: home.alice });
    reportVerdicts([fail('blockConnected', checkNames.blockConnected![1]!, 12)], { home: home.bob, env: { LNLAB_CLASS: `http://127.0.0.1:${bobCable.port}#${lines.joinToken}` } });
    expect((await flushReports(5_000, { home: home.alice })).waiting).toBe(0);
    expect((await flushReports(5_000, { home: home.bob })).waiting).toBe(0);

    const alice = learnerIn(await room(), 'Alice');
    expect(alice.reports).toBe(5);
    expect(alice.cells.blockConnected).toMatchObject({ state: 'passed' });
    expect(alice.cells.transactionsConfirmed).toMatchObject({ state: 'failing', failingCheck: tcFirst, tries: 2 });
    const since = Date.parse((alice.cells.transactionsConfirmed as { since: string }).since);
    expect(Math.round((Date.now() - since) / MINUTE_MS)).toBe(25);
    expect(alice.cells.createChannel).toEqual({ state: 'unchecked' });
  });

  it('a learner cut off keeps working, the server restarts, and everyone catches up with nothing lost', async () => {
    await bobCable.offline();
    const bobLater = [fail('blockConnected', checkNames.blockConnected![1]!, 8), pass('blockConnected', 3), fail('watchChannel', checkNames.watchChannel![0]!, 1)];
    for (const verdict of bobLater) reportVerdicts([verdict], { home: home.bob });
    const offline = await flushReports(2_000, { home: home.bob });
    expect(offline).toMatchObject({ waiting: 3, delivered: 0 });
    expect(offline.error).toMatch(/cannot reach the class server at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    const status = await runLnlab(['class', 'status'], { LNLAB_HOME: home.bob });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/3 verdicts waiting to be sent: cannot reach/);

    // The instructor restarts the server; Alice works on meanwhile.
    const before = await room();
    await server.stop();
    reportVerdicts([fail('updateChannel', 'answers UnrecoverableError when persisting fails', 2)], { home: home.alice });
    expect((await flushReports(1_000, { home: home.alice })).waiting).toBe(1);
    server = new ClassServerProcess(dataDir, port, home.instructor);
    const again = await server.lines;
    expect(again).toEqual(lines); // same tokens, same URL: learners need no new line
    const restarted = await room();
    expect(restarted.reports).toBe(before.reports);
    expect(learnerIn(restarted, 'Alice').cells).toEqual(learnerIn(before, 'Alice').cells);

    // Alice's next check sends her backlog first, in the background.
    reportVerdicts([pass('watchChannel', 0.5)], { home: home.alice });
    await eventually(async () => learnerIn(await room(), 'Alice').reports, (n) => n === 7);

    // Bob's Wi-Fi comes back; `lnlab class status` sends what waited.
    await bobCable.online();
    const caughtUp = await runLnlab(['class', 'status'], { LNLAB_HOME: home.bob });
    expect(caughtUp.stdout).toContain('sent 3 waiting verdicts just now');
    expect(caughtUp.stdout).toContain('nothing waiting');
    const bob = learnerIn(await room(), 'Bob');
    expect(bob.cells.blockConnected).toMatchObject({ state: 'passed' });
    expect(bob.cells.watchChannel).toMatchObject({ state: 'failing', failingCheck: checkNames.watchChannel![0], tries: 1 });

    // An acknowledgement lost on the way: Bob's lnlab sends everything again; the server counts nothing twice.
    writeFileSync(join(home.bob, 'class-outbox-state.json'), JSON.stringify({ sentBytes: 0, rejected: [] }));
    const resent = await flushReports(5_000, { home: home.bob });
    expect(resent).toMatchObject({ delivered: 0, waiting: 0 });

    // Nothing lost, nothing doubled, and in each learner's order.
    for (const learner of [home.alice, home.bob]) expect(savedIds(learnerIdOf(learner))).toEqual(outboxIds(learner));
    const final = await room();
    expect(learnerIn(final, 'Alice').reports).toBe(7);
    expect(learnerIn(final, 'Bob').reports).toBe(4);
    expect(final.reports).toBe(11);
  });

  it('the page, in Chromium, shows the grid, escapes names, updates live and survives a server restart', async () => {
    const browser = await openBrowser();
    closeBrowser = browser.close;
    const { page } = browser;
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const failedRequests: string[] = [];
    page.on('requestfailed', (request) => failedRequests.push(request.url()));
    await page.goto(lines.viewUrl);
    await eventually(() => page.locator('#live').innerText(), (text) => text.includes('live'));

    expect(await cellText(page, 'Alice', 'blockConnected')).toBe('✅');
    expect(await cellText(page, 'Alice', 'watchChannel')).toBe('✅');
    const tc = await cellText(page, 'Alice', 'transactionsConfirmed');
    expect(tc).toContain(checkNames.transactionsConfirmed![0]);
    expect(tc).toMatch(/for 2[45] min · 2 tries/);
    expect(await page.locator('#room tbody tr', { hasText: 'Alice' }).locator('td[data-exercise="transactionsConfirmed"]').getAttribute('class')).toContain('stuck');
    expect(await cellText(page, 'Alice', 'createChannel')).toBe('○');
    expect(await cellText(page, 'Bob', 'blockConnected')).toBe('✅');
    expect(await cellText(page, 'Bob', 'watchChannel')).toMatch(new RegExp(`^❌ ${checkNames.watchChannel![0]} for (1 min|under a minute) · 1 try$`));

    // Carol joined but has not started; her name is shown as text, never run as markup.
    const carolRow = page.locator('#room tbody tr.not-started');
    expect(await carolRow.locator('th.learner .name').innerText()).toBe(HOSTILE_NAME);
    expect(await carolRow.locator('.badge').innerText()).toBe('not started');
    expect(await page.locator('.waiting').innerText()).toBe(`Joined, not started yet: ${HOSTILE_NAME}`);
    expect(await page.locator('img').count()).toBe(0);
    // One column per registered exercise; the summary counts them for each of the 3 learners.
    expect(await page.locator('#room thead th.exercise').count()).toBe(EXERCISES.length);
    expect(await page.locator('.summary').innerText()).toMatch(new RegExp(`^3 learners · 2 working · 1 not started · 4/${3 * EXERCISES.length} exercises passed`));

    // Per exercise: the check most failing learners are on.
    const common = (id: string) => page.locator(`tfoot td.common[data-exercise="${id}"]`).innerText();
    expect(await common('transactionsConfirmed')).toBe(`${checkNames.transactionsConfirmed![0]}\n1 of 1 failing`);
    expect(await common('blockConnected')).toBe('—');

    // Every column fits a laptop screen: the last one (when each learner was last heard of) is in view.
    expect(await page.locator('#room thead th.seen').isVisible()).toBe(true);
    const seenBox = await page.locator('#room thead th.seen').boundingBox();
    expect(seenBox!.x + seenBox!.width).toBeLessThanOrEqual(page.viewportSize()!.width);

    // A screenshot to look at (LNLAB_KEEP_SCREENSHOT=<file.png> keeps a copy after the test).
    const shots = join(home.instructor, 'screenshots');
    mkdirSync(shots, { recursive: true });
    const shot = join(shots, 'room.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    if (process.env.LNLAB_KEEP_SCREENSHOT) copyFileSync(shot, process.env.LNLAB_KEEP_SCREENSHOT);

    // Live: a learner's next verdict appears without a reload.
    reportVerdicts([pass('transactionsConfirmed', 0)], { home: home.alice });
    await eventually(() => cellText(page, 'Alice', 'transactionsConfirmed'), (text) => text === '✅');
    expect(await page.locator('.summary').innerText()).toMatch(new RegExp(`5/${3 * EXERCISES.length} exercises passed`));

    // The server restarts under the open page: it says so, keeps the grid, and comes back by itself.
    await server.stop();
    await eventually(() => page.locator('#live').innerText(), (text) => text.includes('reconnecting'));
    expect(await cellText(page, 'Alice', 'transactionsConfirmed')).toBe('✅');
    server = new ClassServerProcess(dataDir, port, home.instructor);
    await server.lines;
    await eventually(() => page.locator('#live').innerText(), (text) => text.includes('live'));
    reportVerdicts([pass('updateChannel', 0)], { home: home.alice });
    await eventually(() => cellText(page, 'Alice', 'updateChannel'), (text) => text === '✅');

    expect(dialogs).toEqual([]);
    expect(failedRequests.filter((url) => !url.includes('/api/events'))).toEqual([]);
  });
});
