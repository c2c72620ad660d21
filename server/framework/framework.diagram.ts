// The framework as a layered SVG diagram, drawn on the server: one band per level with level 0 (the
// outcome) on top, condition boxes on a shared column grid, and relations as orthogonal arrows routed
// through the gaps between the boxes (never underneath one), so arrows point up from cause to effect.
// Every text is escaped here; the result is SafeHtml. No inline styles (the CSP forbids them):
// presentation attributes and class names only, so a stylesheet can still restyle the parts.
import type { SafeHtml } from '../lib/markdown.ts';
import type { ConditionDoc, Framework } from '../studyfile/studyfile.schema.ts';
import { escapeMarkup as esc } from '../lib/escape.ts';

export type RelationStyle = 'solid' | 'dashed' | 'none';

export interface DiagramOptions {
  /** Accessible title, e.g. the framework title. */
  title: string;
  /** Optional per-condition CSS class suffix (a later feature colours conditions by class low/medium/high); absent = neutral. */
  conditionClass?: (code: string) => string | undefined;
  /** Optional per-relation style: 'solid' | 'dashed' | 'none'; absent = solid. */
  relationStyle?: (from: string, to: string) => RelationStyle;
  /**
   * Optional per-condition mark written in the box's top-right corner (e.g. the case's class "H", or
   * "no value"), so that colour is never the only cue; `label` is added to the box's tooltip.
   */
  conditionMark?: (code: string) => ConditionMark | undefined;
  /** Optional extra `data-*` attributes of a condition's group (names without the prefix). */
  conditionData?: (code: string) => Record<string, string> | undefined;
  /** Optional extra `data-*` attributes of a drawn relation's path (names without the prefix). */
  relationData?: (from: string, to: string) => Record<string, string> | undefined;
  /** Optional text added to a drawn relation's tooltip, e.g. its verdict in a case. */
  relationLabel?: (from: string, to: string) => string | undefined;
  /** Base href for condition links; each box links to `${linkBase}#c-${code}`. Default '' (no links). */
  linkBase?: string;
  /** Texts in the page's language; English by default. */
  text?: {
    /** Shown when there is no level to draw. */
    empty?: string;
    /** The `<desc>`: how many conditions and relations are drawn. */
    description?: (conditions: number, relations: number, levels: number) => string;
  };
}

export interface ConditionMark {
  /** Short text in the box, e.g. "H" or "no value". */
  text: string;
  /** The same in words for the tooltip, e.g. "high". */
  label: string;
}

/** Fixed id prefix: the page holds the diagram once. */
const ID = 'kader-fw';

// Geometry (user units of the viewBox).
const WIDTH = 1216;
const MARGIN = 12;
const LABEL_X = MARGIN + 10;
const LABEL_W = 120;
const BOX_W = 124;
const BOX_H = 44;
const SUB_W = 110;
const SUB_H = 36;
const GUTTER = 24;
const PITCH = BOX_W + GUTTER;
const GRID_X = MARGIN + 10 + LABEL_W + 10 + GUTTER; // left edge of column 0; gutter 0 lies just left of it
const COLS = Math.max(1, Math.floor((WIDTH - MARGIN - GRID_X + GUTTER / 2) / PITCH));
const ROW_GAP = 34;
const BAND_PAD = 30;
const BAND_GAP = 6;
const LANE = 4;
const CORNER = 5;
const LABEL_LINE = 15;
const LABEL_MAX_LINES = 6;

// A neutral, colour-blind-safe palette (greys plus one blue-free orange for feedback, told apart by
// its dotted line as well as by its colour).
const INK = '#1b1f24';
const MUTED = '#57606a';
const BOX_STROKE = '#6e7781';
const BOX_FILL = '#ffffff';
const SUB_FILL = '#f6f8fa';
const BAND_FILLS = ['#f3f4f6', '#e9ecef'];
const ARROW = '#4d5660';
const FEEDBACK = '#b35806';
const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif';


/** ` data-name="value"` for each entry whose name is a valid data attribute name (others are dropped). */
function dataAttributes(data: Record<string, string> | undefined): string {
  if (!data) return '';
  return Object.entries(data)
    .filter(([name]) => /^[a-z][a-z0-9-]*$/.test(name))
    .map(([name, value]) => ` data-${name}="${esc(value)}"`)
    .join('');
}

/** A number as it appears in the SVG: at most one decimal, no "-0". */
function num(n: number): string {
  const r = Math.round(n * 10) / 10;
  return String(Object.is(r, -0) ? 0 : r);
}

/** Rough text width for a sans-serif face, enough to decide where to cut (deterministic, no font metrics). */
function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) {
    if (/[ilj.,:;'|!()[\]ı·]/.test(ch) || ch === ' ') w += 0.3;
    else if (/[frt\-/]/.test(ch)) w += 0.38;
    else if (/[mwMW@]/.test(ch)) w += 0.86;
    else if (/[A-Z]/.test(ch)) w += 0.68;
    else if (/[0-9]/.test(ch)) w += 0.56;
    else w += 0.54;
  }
  return w * size;
}

function truncate(s: string, size: number, max: number): string {
  if (textWidth(s, size) <= max) return s;
  const chars = [...s];
  while (chars.length > 0 && textWidth(chars.join('').trimEnd() + '…', size) > max) chars.pop();
  return chars.join('').trimEnd() + '…';
}

/** Word-wraps `s` into at most `maxLines` lines of `max` width; the last line is cut with "…" if needed. */
function wrap(s: string, size: number, max: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (textWidth(next, size) <= max || !line) line = next;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  const cut = lines.slice(0, maxLines).map((l) => truncate(l, size, max));
  if (lines.length > maxLines) cut[maxLines - 1] = truncate(`${cut[maxLines - 1]} …`, size, max).replace(/ …$/, '…');
  return cut;
}

interface Box {
  c: ConditionDoc;
  sub: boolean;
  row: number; // global row index, top to bottom
  col: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Band {
  number: number;
  name: string;
  y: number;
  h: number;
  rows: number[]; // global row indices
}

type Side = 'top' | 'bottom';

interface Route {
  index: number;
  from: Box;
  to: Box;
  feedback: boolean;
  style: 'solid' | 'dashed';
  exit: Side;
  entry: Side;
  cs: number; // channel left by the cause
  ct: number; // channel the effect is entered from
  gutter: number | null;
  exitX: number;
  entryX: number;
  laneS: number;
  laneT: number;
  gutterX: number;
}

/** Orders a level's conditions: data order, each sub-condition right after its parent (in the same level). */
function orderLevel(conditions: ConditionDoc[]): ConditionDoc[][] {
  const codes = new Set(conditions.map((c) => c.code));
  const children = new Map<string, ConditionDoc[]>();
  const roots: ConditionDoc[] = [];
  for (const c of conditions) {
    if (c.parent && c.parent !== c.code && codes.has(c.parent)) {
      const list = children.get(c.parent) ?? [];
      list.push(c);
      children.set(c.parent, list);
    } else roots.push(c);
  }
  const seen = new Set<string>();
  const walk = (c: ConditionDoc, out: ConditionDoc[]): void => {
    if (seen.has(c.code)) return;
    seen.add(c.code);
    out.push(c);
    for (const child of children.get(c.code) ?? []) walk(child, out);
  };
  const groups: ConditionDoc[][] = [];
  for (const root of roots) {
    const group: ConditionDoc[] = [];
    walk(root, group);
    groups.push(group);
  }
  // Conditions caught in a parent cycle have no root; draw them anyway, in data order.
  for (const c of conditions) if (!seen.has(c.code)) groups.push([c]);
  return groups;
}

/** Packs groups (a condition and its sub-conditions) into rows of COLS cells, not splitting a group that fits a row. */
function packRows(groups: ConditionDoc[][]): ConditionDoc[][] {
  const rows: ConditionDoc[][] = [];
  let row: ConditionDoc[] = [];
  for (const group of groups) {
    if (row.length > 0 && group.length <= COLS && row.length + group.length > COLS) {
      rows.push(row);
      row = [];
    }
    for (const c of group) {
      if (row.length === COLS) {
        rows.push(row);
        row = [];
      }
      row.push(c);
    }
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

/** Greedy lane assignment: the first offset whose lane holds no overlapping interval. */
class Lanes {
  private readonly used = new Map<string, [number, number][]>();
  constructor(private readonly offsets: (key: number) => number[]) {}
  take(key: number, from: number, to: number): number {
    const lo = Math.min(from, to) - 4;
    const hi = Math.max(from, to) + 4;
    const offsets = this.offsets(key);
    let best = 0;
    let bestCount = Infinity;
    for (let i = 0; i < offsets.length; i++) {
      const list = this.used.get(`${key}:${i}`) ?? [];
      const count = list.filter(([a, b]) => a < hi && lo < b).length;
      if (count < bestCount) {
        best = i;
        bestCount = count;
        if (count === 0) break;
      }
    }
    const k = `${key}:${best}`;
    this.used.set(k, [...(this.used.get(k) ?? []), [lo, hi]]);
    return offsets[best] ?? 0;
  }
}

/** 0, −s, +s, −2s, +2s … within ±max. */
function laneOffsets(max: number): number[] {
  const out = [0];
  for (let k = 1; k * LANE <= max + 1e-9; k++) out.push(-k * LANE, k * LANE);
  return out;
}

/** An orthogonal polyline as a path with rounded corners. */
function roundedPath(points: [number, number][]): string {
  const pts: [number, number][] = [];
  for (const p of points) {
    const last = pts[pts.length - 1];
    if (last && Math.abs(last[0] - p[0]) < 0.05 && Math.abs(last[1] - p[1]) < 0.05) continue;
    pts.push(p);
  }
  // Drop middle points of straight runs.
  const simple: [number, number][] = [];
  for (const p of pts) {
    const a = simple[simple.length - 2];
    const b = simple[simple.length - 1];
    if (a && b && ((Math.abs(a[0] - b[0]) < 0.05 && Math.abs(b[0] - p[0]) < 0.05) || (Math.abs(a[1] - b[1]) < 0.05 && Math.abs(b[1] - p[1]) < 0.05))) {
      simple[simple.length - 1] = p;
    } else simple.push(p);
  }
  const first = simple[0]!;
  let d = `M${num(first[0])} ${num(first[1])}`;
  for (let i = 1; i < simple.length; i++) {
    const p = simple[i]!;
    const next = simple[i + 1];
    if (!next) {
      d += `L${num(p[0])} ${num(p[1])}`;
      break;
    }
    const prev = simple[i - 1]!;
    const inLen = Math.hypot(p[0] - prev[0], p[1] - prev[1]);
    const outLen = Math.hypot(next[0] - p[0], next[1] - p[1]);
    const r = Math.min(CORNER, inLen / 2, outLen / 2);
    const ax = p[0] - ((p[0] - prev[0]) / inLen) * r;
    const ay = p[1] - ((p[1] - prev[1]) / inLen) * r;
    const bx = p[0] + ((next[0] - p[0]) / outLen) * r;
    const by = p[1] + ((next[1] - p[1]) / outLen) * r;
    d += `L${num(ax)} ${num(ay)}Q${num(p[0])} ${num(p[1])} ${num(bx)} ${num(by)}`;
  }
  return d;
}

function emptyDiagram(title: string, message: string): SafeHtml {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="framework-diagram framework-diagram--empty" role="img" ` +
    `aria-labelledby="${ID}-title ${ID}-desc" viewBox="0 0 400 60" width="100%" font-family="${esc(FONT)}">` +
    `<title id="${ID}-title">${esc(title)}</title><desc id="${ID}-desc">${esc(message)}</desc>` +
    `<rect x="0.5" y="0.5" width="399" height="59" rx="6" fill="${BAND_FILLS[0]}" stroke="${BOX_STROKE}" stroke-dasharray="4 3"/>` +
    `<text x="200" y="35" text-anchor="middle" font-size="14" fill="${MUTED}">${esc(message)}</text></svg>`
  ) as SafeHtml;
}

export function frameworkDiagram(fw: Framework, options: DiagramOptions): SafeHtml {
  const title = options.title;
  const describe =
    options.text?.description ??
    ((c: number, r: number, l: number) =>
      `Layered diagram of the framework: ${c} condition${c === 1 ? '' : 's'} in ${l} level${l === 1 ? '' : 's'}, ` +
      `level 0 (the outcome) at the top; ${r} relation${r === 1 ? '' : 's'} drawn as arrows from cause to effect.`);

  // Levels, lowest number on top; a repeated number keeps its first entry.
  const levels = [...new Map([...fw.levels].reverse().map((l) => [l.number, l])).values()].sort((a, b) => a.number - b.number);
  if (levels.length === 0) return emptyDiagram(title, options.text?.empty ?? 'Nothing to draw: the framework has no levels yet.');

  // Conditions: the first of a repeated code wins; a condition whose level has no band is skipped.
  const levelNumbers = new Set(levels.map((l) => l.number));
  const seenCodes = new Set<string>();
  const drawable: ConditionDoc[] = [];
  for (const c of fw.conditions) {
    if (seenCodes.has(c.code) || !levelNumbers.has(c.level)) continue;
    seenCodes.add(c.code);
    drawable.push(c);
  }

  // Layout: bands, rows and cells.
  const bands: Band[] = [];
  const boxes = new Map<string, Box>();
  const rowTop: number[] = [];
  let y = MARGIN;
  let rowIndex = 0;
  const labelLines = new Map<number, string[]>();
  for (const level of levels) {
    const rows = packRows(orderLevel(drawable.filter((c) => c.level === level.number)));
    const lines = wrap(`${level.number} · ${level.name}`, 12, LABEL_W, LABEL_MAX_LINES);
    labelLines.set(level.number, lines);
    const gridH = rows.length > 0 ? rows.length * BOX_H + (rows.length - 1) * ROW_GAP : BOX_H;
    const labelH = lines.length * LABEL_LINE + 16;
    const h = Math.max(2 * BAND_PAD + gridH, labelH);
    const band: Band = { number: level.number, name: level.name, y, h, rows: [] };
    const offset = rows.length === 1 ? Math.floor((COLS - rows[0]!.length) / 2) : 0;
    rows.forEach((row, r) => {
      const top = y + BAND_PAD + r * (BOX_H + ROW_GAP);
      rowTop.push(top);
      band.rows.push(rowIndex);
      row.forEach((c, i) => {
        const col = offset + i;
        const sub = Boolean(c.parent) && c.parent !== c.code;
        const w = sub ? SUB_W : BOX_W;
        const h2 = sub ? SUB_H : BOX_H;
        boxes.set(c.code, { c, sub, row: rowIndex, col, x: GRID_X + col * PITCH + (BOX_W - w) / 2, y: top + (BOX_H - h2) / 2, w, h: h2 });
      });
      rowIndex++;
    });
    bands.push(band);
    y += h + BAND_GAP;
  }
  const height = Math.ceil(y - BAND_GAP + MARGIN);
  const bottom = y - BAND_GAP;
  const rowCount = rowTop.length;
  const lastRowOfBand = new Set(bands.map((b) => b.rows[b.rows.length - 1]));

  // Channels: the horizontal gaps between global rows; channel c lies above row c.
  const channel = (c: number): { top: number; bottom: number } => ({
    top: c === 0 ? MARGIN : rowTop[c - 1]! + BOX_H,
    bottom: c === rowCount ? bottom : rowTop[c]!,
  });
  const channelMid = (c: number): number => {
    const ch = channel(c);
    return (ch.top + ch.bottom) / 2;
  };
  const gutterX = (g: number): number => GRID_X + g * PITCH - GUTTER / 2;

  // Gutters: the vertical gaps between columns, free of boxes from top to bottom. A route takes the
  // nearest gutter (to the cause if it must first leave a row gap inside its band, else to the effect)
  // among those between the two boxes that still has a free lane over its height; else the least used.
  const gutterCapacity = laneOffsets(GUTTER / 2 - 3).length;
  const gutterLoad = new Map<number, [number, number][]>();
  const isNarrow = (c: number): boolean => channel(c).bottom - channel(c).top < 2 * BAND_PAD;
  const chooseGutter = (from: Box, to: Box, cs: number, ct: number): number => {
    const [near, far] = isNarrow(cs) ? [from, to] : [to, from];
    const lo = Math.min(channelMid(cs), channelMid(ct));
    const hi = Math.max(channelMid(cs), channelMid(ct));
    const first = Math.min(from.col, to.col);
    const last = Math.max(from.col, to.col) + 1;
    let best = -1;
    let bestScore = Infinity;
    for (let g = first; g <= last; g++) {
      const load = (gutterLoad.get(g) ?? []).filter(([a, b]) => a < hi + 4 && lo - 4 < b).length;
      // Distance in gutters from the near box's side facing the other box (its other side counts ½).
      const facing = far.col < near.col ? near.col : near.col + 1;
      const back = facing === near.col ? near.col + 1 : near.col;
      const dist = g === back ? 0.5 : Math.abs(g - facing);
      const score = (load >= gutterCapacity ? 1000 + load : 0) + dist * 10 + load;
      if (score < bestScore) {
        best = g;
        bestScore = score;
      }
    }
    gutterLoad.set(best, [...(gutterLoad.get(best) ?? []), [lo, hi]]);
    return best;
  };

  // Relations between drawn conditions, in data order.
  const routes: Route[] = [];
  fw.relations.forEach((rel, index) => {
    const from = boxes.get(rel.from);
    const to = boxes.get(rel.to);
    if (!from || !to || from === to) return;
    const style = options.relationStyle?.(rel.from, rel.to) ?? 'solid';
    if (style === 'none') return;
    let exit: Side;
    let entry: Side;
    let cs: number;
    let ct: number;
    if (to.row < from.row) [exit, entry, cs, ct] = ['top', 'bottom', from.row, to.row + 1];
    else if (to.row > from.row) [exit, entry, cs, ct] = ['bottom', 'top', from.row + 1, to.row];
    else if (lastRowOfBand.has(from.row)) [exit, entry, cs, ct] = ['top', 'top', from.row, from.row];
    // Within a row, use the row gap inside the band when there is one, so the arrow is not read as
    // coming from the level above.
    else [exit, entry, cs, ct] = ['bottom', 'bottom', from.row + 1, from.row + 1];
    let gutter: number | null = null;
    if (cs !== ct) gutter = chooseGutter(from, to, cs, ct);
    routes.push({
      index,
      from,
      to,
      feedback: rel.feedback === true,
      style,
      exit,
      entry,
      cs,
      ct,
      gutter,
      exitX: 0,
      entryX: 0,
      laneS: 0,
      laneT: 0,
      gutterX: gutter === null ? 0 : gutterX(gutter),
    });
  });

  // Arrows into the same edge of a box (and drawn alike) merge: one arrowhead, one shared lane in the
  // row gap below (or above) it, which each cause's line joins. Lines only ever merge towards an
  // effect, so following a line from any cause still leads to exactly one effect.
  const center = (b: Box): number => b.x + b.w / 2;
  const mergeKey = (r: Route): string => `${r.to.c.code}\u0000${r.entry}\u0000${r.style}\u0000${r.feedback}`;
  const merged = new Map<string, Route[]>();
  for (const r of routes) merged.set(mergeKey(r), [...(merged.get(mergeKey(r)) ?? []), r]);

  // Ports: the exits and merged entries on one edge of a box are spread along it, ordered by where they head.
  const ports = new Map<string, { routes: Route[]; end: 'exit' | 'entry'; key: number; first: number }[]>();
  const addPort = (k: string, port: { routes: Route[]; end: 'exit' | 'entry'; key: number; first: number }): void => {
    ports.set(k, [...(ports.get(k) ?? []), port]);
  };
  for (const r of routes) {
    addPort(`${r.from.c.code}\u0000${r.exit}`, { routes: [r], end: 'exit', key: r.gutter !== null ? r.gutterX : center(r.to), first: r.index });
  }
  for (const group of merged.values()) {
    const r0 = group[0]!;
    const key = group.reduce((sum, r) => sum + (r.gutter !== null ? r.gutterX : center(r.from)), 0) / group.length;
    addPort(`${r0.to.c.code}\u0000${r0.entry}`, { routes: group, end: 'entry', key, first: r0.index });
  }
  for (const [k, list] of ports) {
    list.sort((a, b) => a.key - b.key || a.first - b.first || (a.end === b.end ? 0 : a.end === 'exit' ? -1 : 1));
    const p0 = list[0]!;
    const box = p0.end === 'exit' ? p0.routes[0]!.from : p0.routes[0]!.to;
    // Top-edge ports sit a little right of the bottom-edge ones, so stubs in a row gap do not coincide.
    const shift = k.endsWith('top') ? 4 : -4;
    const inner = box.w - 20;
    list.forEach((p, i) => {
      const x = box.x + 10 + (inner * (i + 1)) / (list.length + 1) + (list.length === 1 ? shift : shift / 2);
      for (const r of p.routes) {
        if (p.end === 'exit') r.exitX = x;
        else r.entryX = x;
      }
    });
  }

  // Lanes: vertical runs in gutters first, then the horizontal runs in the row gaps.
  const channelLanes = new Lanes((c) => {
    const ch = channel(c);
    return laneOffsets((ch.bottom - ch.top) / 2 - 9);
  });
  const gutterLanes = new Lanes(() => laneOffsets(GUTTER / 2 - 3));
  for (const r of routes) {
    if (r.gutter !== null) r.gutterX = gutterX(r.gutter) + gutterLanes.take(r.gutter, channelMid(r.cs), channelMid(r.ct));
  }
  for (const r of routes) {
    if (r.gutter !== null) r.laneS = channelMid(r.cs) + channelLanes.take(r.cs, r.exitX, r.gutterX);
  }
  for (const group of merged.values()) {
    const r0 = group[0]!;
    const xs = group.map((r) => (r.gutter !== null ? r.gutterX : r.exitX));
    const lane = channelMid(r0.ct) + channelLanes.take(r0.ct, Math.min(r0.entryX, ...xs), Math.max(r0.entryX, ...xs));
    for (const r of group) {
      r.laneT = lane;
      if (r.gutter === null) r.laneS = lane;
    }
  }

  // Output.
  const out: string[] = [];
  const drawnConditions = boxes.size;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="framework-diagram" role="img" aria-labelledby="${ID}-title ${ID}-desc" ` +
      `viewBox="0 0 ${WIDTH} ${height}" width="100%" preserveAspectRatio="xMidYMin meet" font-family="${esc(FONT)}">`,
    `<title id="${ID}-title">${esc(title)}</title>`,
    `<desc id="${ID}-desc">${esc(describe(drawnConditions, routes.length, levels.length))}</desc>`,
    `<defs><marker id="${ID}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" ` +
      `markerUnits="userSpaceOnUse" orient="auto"><path d="M0 0L10 5L0 10z" fill="${ARROW}"/></marker></defs>`,
  );

  out.push('<g class="levels">');
  bands.forEach((band, i) => {
    const lines = labelLines.get(band.number)!;
    const full = `${band.number} · ${band.name}`;
    const textTop = band.y + band.h / 2 - ((lines.length - 1) * LABEL_LINE) / 2 + 4;
    out.push(
      `<g class="level" data-level="${esc(band.number)}">` +
        `<rect x="${MARGIN}" y="${num(band.y)}" width="${WIDTH - 2 * MARGIN}" height="${num(band.h)}" rx="8" fill="${BAND_FILLS[i % 2]}"/>` +
        `<text x="${LABEL_X}" y="${num(textTop)}" font-size="12" fill="${INK}">` +
        (lines.join(' ') === full ? '' : `<title>${esc(full)}</title>`) +
        lines
          .map((line, j) => {
            const prefix = `${band.number} ·`;
            const body = j === 0 && line.startsWith(prefix) ? `<tspan font-weight="700">${esc(prefix)}</tspan>${esc(line.slice(prefix.length))}` : esc(line);
            return `<tspan x="${LABEL_X}" y="${num(textTop + j * LABEL_LINE)}">${body}</tspan>`;
          })
          .join('') +
        `</text></g>`,
    );
  });
  out.push('</g>');

  out.push(`<g class="relations" fill="none" stroke="${ARROW}" stroke-width="1.3">`);
  for (const r of routes) {
    const ys = r.exit === 'top' ? r.from.y : r.from.y + r.from.h;
    const yt = r.entry === 'top' ? r.to.y : r.to.y + r.to.h;
    const points: [number, number][] =
      r.gutter === null
        ? [[r.exitX, ys], [r.exitX, r.laneS], [r.entryX, r.laneS], [r.entryX, yt]]
        : [[r.exitX, ys], [r.exitX, r.laneS], [r.gutterX, r.laneS], [r.gutterX, r.laneT], [r.entryX, r.laneT], [r.entryX, yt]];
    const dash = r.feedback ? (r.style === 'dashed' ? '6 3 1.5 3' : '1.5 3') : r.style === 'dashed' ? '6 4' : '';
    const from = r.from.c;
    const to = r.to.c;
    const label = options.relationLabel?.(from.code, to.code);
    out.push(
      `<path class="relation${r.feedback ? ' feedback' : ''}${r.style === 'dashed' ? ' dashed' : ''}" data-from="${esc(from.code)}" data-to="${esc(to.code)}"` +
        `${dataAttributes(options.relationData?.(from.code, to.code))} ` +
        `d="${roundedPath(points)}"` +
        (r.feedback ? ` stroke="${FEEDBACK}" stroke-width="1.6" stroke-linecap="round"` : '') +
        (dash ? ` stroke-dasharray="${dash}"` : '') +
        ` marker-end="url(#${ID}-arrow)"><title>${esc(`${from.code} → ${to.code}${r.feedback ? ' (feedback)' : ''}${label ? `: ${label}` : ''}`)}</title></path>`,
    );
  }
  out.push('</g>');

  const linkBase = options.linkBase ?? '';
  out.push('<g class="conditions">');
  for (const box of boxes.values()) {
    const c = box.c;
    const suffix = (options.conditionClass?.(c.code) ?? '').replace(/[^A-Za-z0-9_-]/g, '');
    const cls = `condition${box.sub ? ' sub-condition' : ''}${suffix ? ` condition--${suffix}` : ''}`;
    const codeSize = box.sub ? 11 : 12;
    const nameSize = box.sub ? 10 : 11;
    const name = truncate(c.name, nameSize, box.w - 14);
    // A mark (the case's class in a small label) takes the right end of the code's line.
    const mark = options.conditionMark?.(c.code);
    const markSize = box.sub ? 9 : 10;
    const markText = mark ? truncate(mark.text, markSize, box.w / 2) : '';
    const markW = mark ? Math.ceil(textWidth(markText, markSize) + 8) : 0;
    const codeText = truncate(c.code, codeSize, box.w - 14 - (mark ? markW + 4 : 0));
    const codeY = box.y + (box.sub ? 14 : 17);
    const markSvg = mark
      ? `<rect class="mark-label" x="${num(box.x + box.w - 5 - markW)}" y="${num(codeY - markSize - 1)}" width="${markW}" height="${markSize + 5}" rx="3" ` +
        `fill="${BOX_FILL}" stroke="${BOX_STROKE}" stroke-width="0.8"/>` +
        `<text class="mark" x="${num(box.x + box.w - 5 - markW / 2)}" y="${num(codeY)}" text-anchor="middle" font-size="${markSize}" font-weight="700" fill="${INK}">${esc(markText)}</text>`
      : '';
    const inner =
      `<rect x="${num(box.x)}" y="${num(box.y)}" width="${box.w}" height="${box.h}" rx="6" fill="${box.sub ? SUB_FILL : BOX_FILL}" ` +
      `stroke="${BOX_STROKE}" stroke-width="1"${box.sub ? ' stroke-dasharray="3 2"' : ''}${mark ? ' class="box"' : ''}/>` +
      `<text x="${num(box.x + 7)}" y="${num(codeY)}" font-size="${codeSize}" font-weight="700" fill="${INK}">${esc(codeText)}</text>` +
      `<text x="${num(box.x + 7)}" y="${num(box.y + (box.sub ? 29 : 34))}" font-size="${nameSize}" fill="${MUTED}"${mark ? ' class="name"' : ''}>${esc(name)}</text>` +
      markSvg;
    const tip = `<title>${esc(`${c.code} ${c.name}${mark ? `: ${mark.label}` : ''}`)}</title>`;
    out.push(
      `<g class="${esc(cls)}" data-code="${esc(c.code)}"${dataAttributes(options.conditionData?.(c.code))}>` +
        (linkBase ? `<a href="${esc(`${linkBase}#c-${c.code}`)}" tabindex="-1">${tip}${inner}</a>` : `${tip}${inner}`) +
        `</g>`,
    );
  }
  out.push('</g></svg>');
  return out.join('\n') as SafeHtml;
}
