// The framework diagram: well-formed SVG, every condition and relation drawn, text escaped, options
// honoured, no inline styles, arrows never under a box, and a valid picture for an empty framework.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { frameworkDiagram } from '../../../server/framework/framework.diagram.ts';
import type { Framework } from '../../../server/studyfile/studyfile.schema.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const FIXTURE = path.resolve(ROOT, '../shared/fixtures/framework-participatiewet.json');

function fixture(): Framework {
  return (JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as { framework: Framework }).framework;
}

const attrValues = (svg: string, name: string): string[] => [...svg.matchAll(new RegExp(`\\s${name}="([^"]*)"`, 'g'))].map((m) => m[1]!);
const relationPaths = (svg: string): string[] => [...svg.matchAll(/<path class="relation(?:[ "])[^>]*>/g)].map((m) => m[0]);

const EMPTY: Framework = { title: '', levels: [], categories: [], conditions: [], relations: [], groupings: [] };

describe('frameworkDiagram', () => {
  const fw = fixture();
  const svg = frameworkDiagram(fw, { title: fw.title, linkBase: '/studies/1/framework' });

  it('renders the fixture as well-formed XML: one <svg> with role="img", title, desc and a viewBox', () => {
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toMatch(/^<svg[^>]* role="img" aria-labelledby="kader-fw-title kader-fw-desc"/);
    expect(svg).toMatch(/^<svg[^>]* viewBox="0 0 \d+ \d+" width="100%"/);
    expect(svg).toContain('<title id="kader-fw-title">');
    expect(svg).toMatch(/<desc id="kader-fw-desc">[^<]*62 conditions[^<]*65 relations/);
    expect(svg.match(/<marker /g)).toHaveLength(1);
    const ids = attrValues(svg, 'id');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('draws every one of the 62 conditions as a box with its data-code, and a band label per level', () => {
    const codes = fw.conditions.map((c) => c.code);
    expect(codes).toHaveLength(62);
    const drawn = [...svg.matchAll(/<g class="condition[^"]*" data-code="([^"]*)"/g)].map((m) => m[1]);
    expect(drawn.sort()).toEqual([...codes].sort());
    for (const level of fw.levels) expect(svg).toContain(`>${level.number} ·</tspan>`);
    expect(svg).toContain('class="condition sub-condition" data-code="4.c.I"');
    expect(svg).toContain('<a href="/studies/1/framework#c-1.a" tabindex="-1">');
  });

  it('draws one relation path per relation between existing conditions (65), arrows from cause to effect', () => {
    const codes = new Set(fw.conditions.map((c) => c.code));
    const expected = fw.relations.filter((r) => codes.has(r.from) && codes.has(r.to));
    expect(expected).toHaveLength(65);
    const paths = relationPaths(svg);
    expect(paths).toHaveLength(expected.length);
    expect(paths.map((p) => `${/data-from="([^"]*)"/.exec(p)![1]}>${/data-to="([^"]*)"/.exec(p)![1]}`)).toEqual(
      expected.map((r) => `${r.from}>${r.to}`),
    );
    for (const p of paths) expect(p).toContain('marker-end="url(#kader-fw-arrow)"');
  });

  it('escapes every text it prints (names, codes, level names, the title)', () => {
    const hostile = `<script>alert(1)</script>&"'`;
    const doc = fixture();
    doc.conditions[0]!.name = `Evil ${hostile}`;
    doc.conditions.push({ code: `x"&<y>`, level: 1, name: hostile, polarity: 'higher-is-favourable', kind: 'rated' });
    doc.relations.push({ from: `x"&<y>`, to: '0' });
    doc.levels[0]!.name = hostile;
    const out = frameworkDiagram(doc, { title: hostile, linkBase: `/a?b=1&c="2"` });
    expect(XMLValidator.validate(out)).toBe(true);
    expect(out).not.toMatch(/<script/i);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;');
    expect(out).toContain('data-code="x&quot;&amp;&lt;y&gt;"');
    expect(out).toContain('data-from="x&quot;&amp;&lt;y&gt;" data-to="0"');
    expect(out).toContain('href="/a?b=1&amp;c=&quot;2&quot;#c-0"');
  });

  it("relationStyle 'none' removes an arrow and 'dashed' gives it a stroke-dasharray", () => {
    const out = frameworkDiagram(fw, {
      title: 't',
      relationStyle: (from, to) => (from === '1.b' && to === '1.a' ? 'none' : from === '1.c' && to === '1.a' ? 'dashed' : 'solid'),
    });
    const paths = relationPaths(out);
    expect(paths).toHaveLength(64);
    expect(paths.some((p) => p.includes('data-from="1.b" data-to="1.a"'))).toBe(false);
    const dashed = paths.find((p) => p.includes('data-from="1.c" data-to="1.a"'))!;
    expect(dashed).toMatch(/stroke-dasharray="[\d. ]+"/);
    expect(paths.filter((p) => p.includes('stroke-dasharray'))).toEqual([dashed]);
    expect(relationPaths(svg).some((p) => p.includes('stroke-dasharray'))).toBe(false);
  });

  it('marks feedback relations with class feedback and their own stroke', () => {
    const doc = fixture();
    doc.relations.push({ from: '0', to: '3.a', feedback: true });
    const paths = relationPaths(frameworkDiagram(doc, { title: 't' }));
    const feedback = paths.filter((p) => /class="relation[^"]*\bfeedback\b/.test(p));
    expect(feedback).toHaveLength(1);
    expect(feedback[0]).toContain('data-from="0" data-to="3.a"');
    expect(feedback[0]).toMatch(/ stroke="#[0-9a-f]{6}"/);
    expect(feedback[0]).toMatch(/ stroke-dasharray=/);
  });

  it('adds the condition class suffix when given, and no links without linkBase', () => {
    const out = frameworkDiagram(fw, { title: 't', conditionClass: (code) => (code === '2.a' ? 'high' : code === '2.b' ? 'x" onload="y' : undefined) });
    expect(out).toContain('<g class="condition condition--high" data-code="2.a">');
    expect(out).toContain('<g class="condition condition--xonloady" data-code="2.b">');
    expect(out).toContain('<g class="condition" data-code="2.c">');
    expect(out).not.toContain('<a ');
  });

  it('uses no inline style attribute or style element (the CSP forbids them)', () => {
    expect(svg).not.toMatch(/\sstyle\s*=/i);
    expect(svg).not.toMatch(/<style/i);
    expect(svg).not.toMatch(/\son[a-z]+\s*=/i);
  });

  it('is deterministic', () => {
    expect(frameworkDiagram(fixture(), { title: fw.title, linkBase: '/studies/1/framework' })).toBe(svg);
  });

  it('lays boxes out without overlaps and routes no arrow underneath a box', () => {
    const rects = [...svg.matchAll(/<g class="condition[^>]*>(?:<a [^>]*>)?<title>[^<]*<\/title><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map(
      (m) => ({ x: Number(m[1]), y: Number(m[2]), w: Number(m[3]), h: Number(m[4]) }),
    );
    expect(rects).toHaveLength(62);
    const vbW = Number(/viewBox="0 0 (\d+)/.exec(svg)![1]);
    for (const [i, a] of rects.entries()) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.x + a.w).toBeLessThanOrEqual(vbW);
      for (const b of rects.slice(i + 1)) {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap).toBe(false);
      }
    }
    // Straight segments of every arrow (corners are small arcs) stay clear of every box's interior.
    for (const p of relationPaths(svg)) {
      const d = /\sd="([^"]*)"/.exec(p)![1]!;
      const points = [...d.matchAll(/([MLQ])([-\d. ]+)/g)].map((m) => {
        const n = m[2]!.trim().split(/\s+/).map(Number);
        return [n[n.length - 2]!, n[n.length - 1]!] as const;
      });
      for (let i = 1; i < points.length; i++) {
        const [x1, y1] = points[i - 1]!;
        const [x2, y2] = points[i]!;
        if (x1 !== x2 && y1 !== y2) continue; // the end of a rounded corner
        for (const r of rects) {
          const crosses = Math.max(x1, x2) > r.x + 0.5 && Math.min(x1, x2) < r.x + r.w - 0.5 && Math.max(y1, y2) > r.y + 0.5 && Math.min(y1, y2) < r.y + r.h - 0.5;
          expect(crosses, `${p.slice(0, 60)} crosses a box`).toBe(false);
        }
      }
    }
  });

  it('skips conditions whose level has no band and relations to missing codes', () => {
    const doc = fixture();
    doc.conditions.push({ code: '9.z', level: 9, name: 'No band', polarity: 'higher-is-favourable', kind: 'rated' });
    doc.relations.push({ from: '9.z', to: '0' }, { from: 'missing', to: '1.a' }, { from: '1.a', to: 'gone' });
    const out = frameworkDiagram(doc, { title: 't' });
    expect(XMLValidator.validate(out)).toBe(true);
    expect(out).not.toContain('data-code="9.z"');
    expect(relationPaths(out)).toHaveLength(65);
  });

  it('gives a small valid SVG for an empty framework, and for levels without conditions', () => {
    const empty = frameworkDiagram(EMPTY, { title: 'Leeg & <nieuw>' });
    expect(XMLValidator.validate(empty)).toBe(true);
    expect(empty).toMatch(/^<svg[^>]* role="img" aria-labelledby="kader-fw-title kader-fw-desc"/);
    expect(empty).toContain('<title id="kader-fw-title">Leeg &amp; &lt;nieuw&gt;</title>');
    expect(empty).toMatch(/<desc id="kader-fw-desc">[^<]+<\/desc>/);
    expect(frameworkDiagram(EMPTY, { title: 't', text: { empty: 'Niets te tekenen' } })).toContain('>Niets te tekenen</text>');

    const bare = frameworkDiagram({ ...EMPTY, levels: [{ number: 0, name: 'Uitkomst' }, { number: 1, name: 'Oorzaken' }] }, { title: 't' });
    expect(XMLValidator.validate(bare)).toBe(true);
    expect(bare).toContain('>0 ·</tspan>');
    expect(bare).not.toMatch(/class="condition[ "]/);
    expect(relationPaths(bare)).toHaveLength(0);
  });
  it('writes a mark in a box (colour is never the only cue) and adds data attributes and tooltips, escaped', () => {
    const out = frameworkDiagram(fw, {
      title: 't',
      conditionClass: (code) => (code === '2.a' ? 'high' : undefined),
      conditionMark: (code) => (code === '2.a' ? { text: 'H', label: 'high' } : code === '2.b' ? { text: 'no "value"', label: '<none>' } : undefined),
      conditionData: (code) => (code === '2.a' ? { class: 'high', 'Bad Name': 'x', 'on-load"': 'y' } : undefined),
      relationStyle: (from) => (from === '1.c' ? 'dashed' : 'solid'),
      relationData: (from, to) => ({ verdict: from === '1.c' && to === '1.a' ? 'possibly' : 'applies' }),
      relationLabel: (from, to) => (from === '1.c' && to === '1.a' ? 'possibly & <maybe>' : undefined),
    });
    expect(XMLValidator.validate(out)).toBe(true);
    const a = /<g class="condition condition--high" data-code="2\.a" data-class="high">([\s\S]*?)<\/g>/.exec(out);
    expect(a).not.toBeNull();
    expect(a![1]).toContain('<title>2.a ');
    expect(a![1]).toContain(': high</title>');
    expect(a![1]).toContain('class="box"/>');
    expect(a![1]).toMatch(/<rect class="mark-label" [^>]*\/><text class="mark" [^>]*>H<\/text>$/);
    expect(out).not.toContain('data-bad');
    expect(out).not.toContain('on-load');
    expect(out).toContain('>no &quot;value&quot;</text>');
    expect(out).toContain(': &lt;none&gt;</title>');
    // Boxes without a mark are drawn exactly as before.
    expect(out).toMatch(/<g class="condition" data-code="2\.c"><title>[^<]*<\/title><rect x="[\d.]+" y="[\d.]+" width="\d+" height="\d+" rx="6" fill="#ffffff" stroke="#6e7781" stroke-width="1"\/>/);
    const dashed = relationPaths(out).find((p) => p.includes('data-from="1.c" data-to="1.a"'))!;
    expect(dashed).toContain('data-verdict="possibly"');
    expect(out).toContain('1.c → 1.a: possibly &amp; &lt;maybe&gt;</title>');
    expect(relationPaths(out).every((p) => /data-verdict="(applies|possibly)"/.test(p))).toBe(true);
  });
});
