/**
 * What one learner costs a machine: how long the embedded regtest node takes to start and to mine 500
 * blocks, and the resident memory of the workshop kernel and of the node after notebook 05 (the capstone)
 * has run with the reference solutions in real Jupyter — the figure to size a machine for a class by.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BitcoindClient, Faucet, PROJECT_ROOT, startThrowawayNode } from '../src/internal.js';
import { buildSolutionNotebook } from '../src/curriculum/notebook-builder.js';
import { executeNotebook } from '../tests/notebooks/jupyter-run.js';
import type { BenchResult } from './filestore.js';

const MIB = 1024 * 1024;
const CAPSTONE = '05-catch-a-cheater';
const MARKER = 'LNLAB_MEMORY ';

/** A cell appended to the capstone: the kernel's and the node's resident memory, as one marked line. */
const MEASURE_CELL = `import { readFileSync as readProcFile } from 'node:fs';
const residentBytes = (pid: string) => Number(/VmRSS:\\s+(\\d+)/.exec(readProcFile(\`/proc/\${pid}/status\`, 'utf8'))![1]) * 1024;
// utime + stime, fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
const cpuSeconds = (pid: string) => { const f = readProcFile(\`/proc/\${pid}/stat\`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) / 100; };
const usage = process.cpuUsage();
const nodePid = process.env.LNLAB_BENCH_NODE_PID!;
console.log('${MARKER}' + JSON.stringify({ kernel: process.memoryUsage().rss, node: residentBytes(nodePid), kernelCpu: (usage.user + usage.system) / 1e6, nodeCpu: cpuSeconds(nodePid) }));`;

export async function benchNodeStart(): Promise<BenchResult[]> {
  const started = performance.now();
  const node = await startThrowawayNode();
  const startMs = performance.now() - started;
  try {
    const client = new BitcoindClient(node.config);
    const faucet = await Faucet.create(client);
    const mining = performance.now();
    await faucet.mine(500);
    const mineMs = performance.now() - mining;
    return [
      { name: 'embedded_node_start', value: Math.round(startMs), unit: 'ms' },
      { name: 'mine_500_blocks', value: Math.round(mineMs), unit: 'ms' },
    ];
  } finally {
    await node.stop();
  }
}

export async function benchLearnerMemory(): Promise<BenchResult[]> {
  const source = readFileSync(join(PROJECT_ROOT, 'notebooks', 'src', `${CAPSTONE}.md`), 'utf8');
  const notebook = buildSolutionNotebook(CAPSTONE, source);
  notebook.cells.push({ cell_type: 'code', source: MEASURE_CELL, metadata: {}, outputs: [], execution_count: null } as never);
  const run = await executeNotebook(CAPSTONE, 'bench-memory', notebook, { extraEnv: (node) => ({ LNLAB_BENCH_NODE_PID: String(node.pid) }) });
  const text = JSON.stringify(run.notebook.cells.at(-1));
  const line = /LNLAB_MEMORY (\{[^}]*\})/.exec(text.replace(/\\"/g, '"'))?.[1];
  if (!line || run.error) throw new Error(`bench: notebook ${CAPSTONE} did not report its memory (${run.error ?? 'no marked line'})`);
  const { kernel, node, kernelCpu, nodeCpu } = JSON.parse(line) as { kernel: number; node: number; kernelCpu: number; nodeCpu: number };
  const mib = (bytes: number) => Number((bytes / MIB).toFixed(1));
  return [
    { name: 'kernel_rss_after_05', value: mib(kernel), unit: 'MiB' },
    { name: 'embedded_node_rss_after_05', value: mib(node), unit: 'MiB' },
    { name: 'memory_per_learner', value: mib(kernel + node), unit: 'MiB', parts: 'kernel + embedded node, after notebook 05' },
    { name: 'cpu_per_learner_05', value: Number((kernelCpu + nodeCpu).toFixed(1)), unit: 'cpu-s', parts: 'kernel + embedded node, running notebook 05', wall_s: run.seconds },
  ];
}
