/** `lnlab export --without-solutions DIR`: the copy an instructor hands out (see `src/curriculum/export.ts`). */
import { parseArgs } from 'node:util';
import { exportWithoutSolutions } from '../curriculum/export.js';
import { say } from './output.js';
import { UsageError } from './usage.js';

export const EXPORT_USAGE = `Handing out the workshop:
  lnlab export --without-solutions DIR
      write a copy of the workshop without its answers (solutions/) and without the project's own tests,
      as a fresh git repository in DIR, for learners: notebooks, checks, lnlab grade and lnlab reset all work`;

export async function exportCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { 'without-solutions': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`lnlab export: ${(err as Error).message}`, EXPORT_USAGE);
  }
  if (parsed.values.help) {
    say(EXPORT_USAGE);
    return 0;
  }
  if (!parsed.values['without-solutions'] || parsed.positionals.length !== 1) {
    throw new UsageError('lnlab export: say --without-solutions and the folder to write, e.g. `lnlab export --without-solutions ../handout`', EXPORT_USAGE);
  }
  const outcome = exportWithoutSolutions(parsed.positionals[0]!);
  say(`📦 ${outcome.files} files written to ${outcome.dir}, without solutions/${outcome.git ? ', as a fresh git repository' : ''}.`);
  say('   Hand it out; learners run `npm start` in it. `solution()` there says the answers are not in the copy.');
  return 0;
}
