/**
 * Pinning owner-only permission bits on key material, where chmod is allowed and where it is not. Node's
 * permission model (the grading child runs under it) denies `chmod`/`fchmod` outright; the file or folder
 * was created with the wanted mode and a umask can only take bits away, so there the bits are checked
 * instead of set: nothing beyond `mode` may be granted.
 */

/** `chmod` by `apply`; where the permission model denies it, checks with `stat` that no bit beyond `mode` is set. */
export async function pinMode(apply: () => Promise<void>, stat: () => Promise<{ mode: number }>, mode: number, what: string): Promise<void> {
  try {
    await apply();
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_ACCESS_DENIED') throw error;
    const actual = (await stat()).mode & 0o777;
    if ((actual & ~mode) !== 0) {
      throw new Error(`${what}: expected mode ${mode.toString(8)} or stricter, got ${actual.toString(8)}, and chmod is not permitted here`);
    }
  }
}
