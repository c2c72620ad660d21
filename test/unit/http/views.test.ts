// The view engine compiles templates with their locals declared as variables instead of EJS's
// `with (locals)`; these are the cases where that could differ from `with`.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutEngine, localNamesOf } from '../../../server/http/views.ts';
import { tempDir } from '../../helpers/app.ts';

function viewsWith(files: Record<string, string>): string {
  const dir = tempDir('kader-views-');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function render(dir: string, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => layoutEngine(dir)(path.join(dir, view), locals, (err, html) => (err ? reject(err) : resolve(html!))));
}

describe('the view engine', () => {
  it('reads the names a template uses, not the properties it reads or the globals it calls', () => {
    const names = localNamesOf('<p class="x"><%= study.id %> <%= encodeURIComponent(c.key) %> <% for (const e of list) { %><%- include("/x", { e }) %><% } %></p>');
    expect(names).toEqual(expect.arrayContaining(['study', 'c', 'e', 'list']));
    for (const notLocal of ['p', 'class', 'id', 'key', 'encodeURIComponent', 'for', 'const', 'of', 'include']) expect(names).not.toContain(notLocal);
  });

  it('renders locals, includes with their own data, and the layout around the page', async () => {
    const dir = viewsWith({
      'layout.ejs': '<main><%- body %></main>',
      'page.ejs': '<h1><%= title %></h1><%- include("/parts/_item", { label: "a&b" }) %><%- include("/parts/_item", { label: title }) %>',
      'parts/_item.ejs': '<li><%= label %> of <%= title %></li>',
    });
    expect(await render(dir, 'page.ejs', { title: 'T' })).toBe('<main><h1>T</h1><li>a&amp;b of T</li><li>T of T</li></main>');
    expect(await render(dir, 'page.ejs', { title: 'U', layout: false })).toBe('<h1>U</h1><li>a&amp;b of U</li><li>U of U</li>');
  });

  it('leaves a name the template declares itself to the template, as `with` did', async () => {
    const dir = viewsWith({
      'layout.ejs': '<%- body %>',
      'field.ejs': '<% const kind = locals.kind || "text"; const label = String(name).toUpperCase(); %><%= kind %>:<%= label %>:<%= encodeURIComponent(name) %>',
    });
    expect(await render(dir, 'field.ejs', { name: 'a b', kind: 'email', label: 'ignored' })).toBe('email:A B:a%20b');
    expect(await render(dir, 'field.ejs', { name: 'c' })).toBe('text:C:c');
  });

  it('names the template and line of an error', async () => {
    const dir = viewsWith({ 'layout.ejs': '<%- body %>', 'broken.ejs': 'line one\n<%= missing.property %>' });
    await expect(render(dir, 'broken.ejs', {})).rejects.toThrow(/broken\.ejs:2/);
  });
});
