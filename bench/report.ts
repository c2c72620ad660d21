// The benchmark's result shape and its Markdown rendering (bench/results/latest.md, the README table).

export interface PageResult {
  name: string;
  url: string;
  /** false: the route answered 404 (not built yet); measured again on the next run. */
  available: boolean;
  status: number;
  /** Milliseconds; autocannon reports p97.5, not p95. */
  latency?: { p50: number; p97_5: number; p99: number; mean: number };
  rps?: number;
  /** Server time per request at saturation: 1000 / requests per second (the server is one thread). */
  costMs?: number;
  requests?: number;
  non2xx?: number;
  errors?: number;
  /** Requests per second as a share of the baseline's. */
  ratio?: number;
  /** SQL statements of one request in the 200-case study and in the 50-case one. */
  statements?: number;
  statements50?: number;
  /** Statements per request while under load (the session write is skipped when nothing moved). */
  statementsUnderLoad?: { min: number; max: number; requests: number } | null;
  /** One connection at a time (latency without queueing), for the pages whose per-request time a target compares. */
  sequential?: { p50: number; mean: number; requests: number };
  sql?: string[];
}

export interface Target {
  name: string;
  target: string;
  measured: string;
  /** null: not available (the page does not exist yet). */
  pass: boolean | null;
}

export interface BenchResults {
  generatedAt: string;
  machine: {
    node: string;
    platform: string;
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    /** 1-minute load averages: the start of the run, the highest around a measurement, the end. */
    loadAverage?: { start: number; maxDuringLoad: number; end: number };
  };
  settings: { connections: number; durationS: number; warmupS: number; server: string; searchQuery: string };
  data: {
    large: Record<string, unknown> & { studyId: number; cases: number; interviews: number; notesBytes: number; documents: number; ratings: number; reconciliations: number; evidence: number };
    small: Record<string, unknown> & { studyId: number; cases: number };
    generateMs: number;
  };
  pages: PageResult[];
  crossCase: { rows: number; rowReadMs: number; page200Ms: number | null; page50Ms: number | null; vsRows: number | null; vs50: number | null };
  cli: {
    agreementMs: number;
    analysisMs: number;
    startupMs: number;
    /** The services in-process; modelMs and itemsMs are the analysis model and the reconciliation items it reads. */
    inProcess: { agreementMs: number; analysisMs: number; modelMs?: number; itemsMs?: number };
  };
  upload: { status: number; baselineMb: number; peakMb: number; growthMb: number };
  targets: Target[];
  totalS: number;
}

const cell = (v: unknown) => (v === undefined || v === null ? '–' : String(v));

export function markdownReport(r: BenchResults): string {
  const d = r.data.large;
  const lines: string[] = [];
  lines.push(`Measured ${r.generatedAt.slice(0, 16).replace('T', ' ')} UTC on ${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}; ` +
    `autocannon ${r.settings.connections} connections × ${r.settings.durationS} s per page after ${r.settings.warmupS} s warm-up, on 127.0.0.1.`);
  const load = r.machine.loadAverage;
  if (load) {
    const busy = load.start > r.machine.cpus || load.maxDuringLoad > r.machine.cpus + 2;
    lines.push('');
    lines.push(`Load average: ${load.start} at the start, at most ${load.maxDuringLoad} around the measurements (the bench itself adds about 2).` +
      (busy ? ' **Other work was running on the machine: absolute numbers are inflated, ratios less so.**' : ''));
  }
  lines.push('');
  lines.push(`Large study: ${d.cases} cases × ${d.conditions} rated conditions × 2 raters (${d.ratings} submitted ratings, ${d.reconciliations} reconciled), ` +
    `${d.interviews} interviews with ${Math.round(d.notesBytes / 1048576)} MB of notes, ${d.documents} documents (metadata only), ${d.evidence} evidence entries. ` +
    `Second study: ${r.data.small.cases} cases, same shape.`);
  lines.push('');
  lines.push('| Page | p50 ms | p97.5 ms | req/s | vs baseline | SQL / request (200 cases) | SQL / request (50 cases) |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|');
  for (const p of r.pages) {
    if (!p.available) {
      lines.push(`| ${p.name} | not available | | | | | |`);
      continue;
    }
    const ratio = p.ratio === undefined ? '–' : `${Math.round(p.ratio * 1000) / 10}%`;
    const counted = p.name.startsWith('cross-case page (') ? '–' : cell(p.statements);
    const counted50 = p.name.startsWith('cross-case page (') ? cell(p.statements) : cell(p.statements50);
    lines.push(`| ${p.name} | ${cell(p.latency?.p50)} | ${cell(p.latency?.p97_5)} | ${cell(p.rps)} | ${ratio} | ${counted} | ${counted50} |`);
  }
  lines.push('');
  const c = r.crossCase;
  lines.push(`Cross-case page: ${cell(c.page200Ms)} ms per request at ${d.cases} cases, ${cell(c.page50Ms)} ms at ${r.data.small.cases} cases ` +
    `(median latency with one connection, no queueing); reading its ${c.rows} final-score rows with one prepared statement in-process: ${c.rowReadMs} ms (median of 30).` +
    (r.cli.inProcess.modelMs === undefined ? '' : ` Of the page, in-process: the analysis model ${r.cli.inProcess.modelMs} ms, of which the final-score statement ${r.cli.inProcess.itemsMs} ms.`));
  lines.push(`\`kader agreement\`: ${r.cli.agreementMs} ms, \`kader analysis\`: ${r.cli.analysisMs} ms (CLI as child processes, wall time; ` +
    `\`kader help\` (start-up alone): ${r.cli.startupMs} ms; the services in-process: ${r.cli.inProcess.agreementMs} ms + ${r.cli.inProcess.analysisMs} ms).`);
  lines.push(`200 MB upload: RSS ${r.upload.baselineMb} → ${r.upload.peakMb} MB (growth ${r.upload.growthMb} MB), status ${r.upload.status}.`);
  lines.push('');
  lines.push('| Target | Limit | Measured | Result |');
  lines.push('|---|---|---|---|');
  for (const t of r.targets) lines.push(`| ${t.name} | ${t.target} | ${t.measured} | ${t.pass === null ? 'not available' : t.pass ? 'PASS' : 'FAIL'} |`);
  lines.push('');
  return `${lines.join('\n')}`;
}
