import { WorkshopError } from '../errors.js';

/** The command line was not understood; carries the usage text to print. */
export class UsageError extends WorkshopError {
  readonly usage: string;
  constructor(message: string, usage: string) {
    super('USAGE', message);
    this.usage = usage;
  }
}
