// The Markdown renderer keeps formatting and removes everything that could run or load code.
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../server/lib/markdown.ts';

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<a href="javascript:alert(1)">x</a>',
  '<iframe src="https://evil.example"></iframe>',
  '<svg onload=alert(1)>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<form action="https://evil.example"><button>go</button></form>',
  '![x](https://evil.example/track.png)',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<a href="https://ok.example" onclick="alert(1)">ok</a>',
  '`<script>` in code is text',
];

describe('renderMarkdown', () => {
  it('keeps ordinary Markdown', () => {
    const html = renderMarkdown('# Titel\n\n*nadruk* en **vet**\n\n- een\n- twee\n\n[link](https://example.org)');
    expect(html).toContain('<h1>Titel</h1>');
    expect(html).toContain('<em>nadruk</em>');
    expect(html).toContain('<strong>vet</strong>');
    expect(html).toContain('<li>een</li>');
    expect(html).toContain('<a href="https://example.org" rel="noopener noreferrer nofollow">link</a>');
  });

  it('shows pathological nesting as text instead of failing the page', () => {
    const html = renderMarkdown('>'.repeat(5000) + ' <script>x</script>');
    expect(html).not.toContain('<script');
  });

  for (const input of HOSTILE) {
    it(`makes harmless: ${input}`, () => {
      const html = renderMarkdown(input);
      expect(html).not.toMatch(/<script|<iframe|<svg|<form|<img|<style|<math/i);
      expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
      expect(html).not.toMatch(/href="\s*(javascript|data):/i);
      expect(html).not.toMatch(/style=/i);
    });
  }
});
