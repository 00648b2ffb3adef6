/**
 * A live diagram as a picture: transactions (boxes) top to bottom, each arrow labelled with what moved,
 * drawn as plain SVG text in the notebook (`tslab.display.svg`). A ```mermaid block is drawn only by
 * JupyterLab 4.1+ and Notebook 7.1+; Debian's Notebook 6.4 showed its source. Plain SVG (no
 * foreignObject, no script, no web font) draws in every front end, offline, and in a saved notebook.
 */

/** One box: a bold first line (what it is), then detail lines (a txid, an amount). */
export interface FlowBox {
  readonly title: string;
  readonly lines?: readonly string[];
  /** `wallet` draws a rounded box (where coins end), `tx` (default) a square one. */
  readonly kind?: 'tx' | 'wallet';
}

/** A step of the flow: a box, and the label of the arrow into the next box (none after the last). */
export interface FlowStep extends FlowBox {
  readonly arrow?: string;
}

const WIDTH = 560;
const BOX_WIDTH = 340;
const LINE = 18;
const PAD = 10;
const GAP = 56;
const LEFT = 20;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `1a2b3c4d…9f0e`: enough of a txid to find it in the output above. */
export function shortTxid(txid: string): string {
  return `${txid.slice(0, 8)}…${txid.slice(-4)}`;
}

/** The SVG of `steps`, top to bottom; `caption` above them. */
export function flowDiagram(caption: string, steps: readonly FlowStep[]): string {
  if (steps.length === 0) throw new TypeError('flowDiagram needs at least one step');
  const parts: string[] = [];
  let y = 36;
  steps.forEach((step, index) => {
    const lines = [step.title, ...(step.lines ?? [])];
    const height = lines.length * LINE + 2 * PAD;
    const radius = step.kind === 'wallet' ? 16 : 3;
    const fill = step.kind === 'wallet' ? '#e6f4ea' : index === 0 ? '#e8eef9' : '#fff6d5';
    const stroke = step.kind === 'wallet' ? '#3a7d44' : index === 0 ? '#6c8ebf' : '#d6b656';
    parts.push(`<rect x="${LEFT}" y="${y}" width="${BOX_WIDTH}" height="${height}" rx="${radius}" fill="${fill}" stroke="${stroke}" stroke-width="1.5"/>`);
    lines.forEach((text, i) => {
      const weight = i === 0 ? ' font-weight="bold"' : '';
      const family = i === 0 ? '' : ' font-family="monospace"';
      parts.push(`<text x="${LEFT + BOX_WIDTH / 2}" y="${y + PAD + (i + 1) * LINE - 4}" text-anchor="middle"${weight}${family}>${escape(text)}</text>`);
    });
    y += height;
    if (index < steps.length - 1) {
      const x = LEFT + BOX_WIDTH / 2;
      parts.push(`<line x1="${x}" y1="${y}" x2="${x}" y2="${y + GAP - 6}" stroke="#444" stroke-width="1.5" marker-end="url(#arrow)"/>`);
      if (step.arrow) parts.push(`<text x="${x + 12}" y="${y + GAP / 2 + 5}" fill="#333" font-style="italic">${escape(step.arrow)}</text>`);
      y += GAP;
    }
  });
  const height = y + 16;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="14">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>',
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    `<text x="${LEFT}" y="22" font-weight="bold" font-size="15">${escape(caption)}</text>`,
    ...parts,
    '</svg>',
  ].join('\n');
}
