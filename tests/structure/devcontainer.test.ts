/**
 * The Codespaces devcontainer (not run here: no Docker engine) at least says what the README says: Node 20
 * on Debian bookworm like CI, Debian's Jupyter, the README's own two commands, and Jupyter's port forwarded.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/internal.js';
import { DEFAULT_JUPYTER_PORT } from '../../src/workshop/setup/ports.js';

describe('.devcontainer/devcontainer.json', () => {
  const config = JSON.parse(readFileSync(join(PROJECT_ROOT, '.devcontainer', 'devcontainer.json'), 'utf8')) as Record<string, unknown>;

  it('is Node 20 on bookworm, installs Debian Jupyter and the locked dependencies, then starts the workshop', () => {
    expect(config.image).toMatch(/typescript-node:.*20-bookworm/);
    expect(config.postCreateCommand).toMatch(/apt-get install .*jupyter-notebook.*python3-nbclient.* && npm ci$/);
    expect(config.postAttachCommand).toBe('npm start -- --no-browser');
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npm start');
  });

  it("forwards the port lnlab start gives Jupyter", () => {
    expect(config.forwardPorts).toEqual([DEFAULT_JUPYTER_PORT]);
  });
});
