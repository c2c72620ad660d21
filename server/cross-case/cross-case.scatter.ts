// A scatter plot drawn on the server as SVG: one point per case (its name in the point's tooltip),
// axes with round ticks and labels. Every text is escaped here, so the result is SafeHtml; the page
// gives a data table beside it, and the SVG has role="img" with a title and a description. No
// inline styles (the CSP forbids them): presentation attributes and class names only.
import type { SafeHtml } from '../lib/markdown.ts';
import { escapeMarkup as esc } from '../lib/escape.ts';

const W = 640;
const H = 400;
const M = { left: 72, right: 24, top: 20, bottom: 60 };
const ID = 'cross-scatter';


const num = (v: number) => String(Math.round(v * 100) / 100);

/** About `count` round tick values covering [min, max] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    return niceTicks(min - pad, max + pad, count);
  }
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.floor(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toFixed(10)));
  if (ticks.at(-1)! < max) ticks.push(Number((ticks.at(-1)! + step).toFixed(10)));
  return ticks;
}

export interface ScatterPoint {
  label: string;
  x: number;
  y: number;
}

export interface ScatterText {
  title: string;
  description: string;
  xLabel: string;
  yLabel: string;
  /** A tick value in the reader's language. */
  format: (v: number) => string;
  /** A point's tooltip. */
  point: (p: ScatterPoint) => string;
}

export function scatterSvg(points: readonly ScatterPoint[], text: ScatterText): SafeHtml {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const xTicks = xs.length ? niceTicks(Math.min(...xs), Math.max(...xs)) : niceTicks(0, 1);
  const yTicks = ys.length ? niceTicks(Math.min(...ys), Math.max(...ys)) : niceTicks(0, 1);
  const [x0, x1] = [xTicks[0]!, xTicks.at(-1)!];
  const [y0, y1] = [yTicks[0]!, yTicks.at(-1)!];
  const px = (v: number) => M.left + ((v - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (v: number) => H - M.bottom - ((v - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="scatter" role="img" aria-labelledby="${ID}-title ${ID}-desc" viewBox="0 0 ${W} ${H}" width="100%" font-family="system-ui, sans-serif">`,
    `<title id="${ID}-title">${esc(text.title)}</title><desc id="${ID}-desc">${esc(text.description)}</desc>`,
    `<rect class="scatter-frame" x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="#ffffff" stroke="#6e7781"/>`,
  );
  for (const t of xTicks) {
    const x = num(px(t));
    out.push(
      `<line class="scatter-grid" x1="${x}" x2="${x}" y1="${M.top}" y2="${H - M.bottom}" stroke="#d0d7de" stroke-width="1"/>`,
      `<text x="${x}" y="${H - M.bottom + 18}" text-anchor="middle" font-size="12" fill="#1b1f24">${esc(text.format(t))}</text>`,
    );
  }
  for (const t of yTicks) {
    const y = num(py(t));
    out.push(
      `<line class="scatter-grid" x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#d0d7de" stroke-width="1"/>`,
      `<text x="${M.left - 8}" y="${y}" dy="4" text-anchor="end" font-size="12" fill="#1b1f24">${esc(text.format(t))}</text>`,
    );
  }
  out.push(
    `<text x="${num(M.left + (W - M.left - M.right) / 2)}" y="${H - 16}" text-anchor="middle" font-size="13" font-weight="600" fill="#1b1f24">${esc(text.xLabel)}</text>`,
    `<text transform="translate(18 ${num(M.top + (H - M.top - M.bottom) / 2)}) rotate(-90)" text-anchor="middle" font-size="13" font-weight="600" fill="#1b1f24">${esc(text.yLabel)}</text>`,
  );
  for (const p of points) {
    out.push(
      `<circle class="scatter-point" cx="${num(px(p.x))}" cy="${num(py(p.y))}" r="5" fill="#4575b4" stroke="#1b1f24" stroke-width="1"><title>${esc(text.point(p))}</title></circle>`,
    );
  }
  out.push('</svg>');
  return out.join('\n') as SafeHtml;
}
