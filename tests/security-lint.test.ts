/**
 * The project's lint configuration rejects every way of turning a string into HTML or code in
 * extension code (fetched text must never reach one), and accepts the safe equivalents.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/recorded';

const eslint = new ESLint({ cwd: REPO_ROOT });

async function ruleIds(code: string, file = 'src/ui/probe.tsx'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}${file}` });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => m.ruleId ?? 'fatal');
}

const SINKS: readonly (readonly [string, string])[] = [
  ['innerHTML assignment', 'export function f(el: HTMLElement, text: string) { el.innerHTML = text; }'],
  ['innerHTML append', 'export function f(el: HTMLElement, text: string) { el.innerHTML += text; }'],
  ['computed innerHTML', "export function f(el: HTMLElement, text: string) { el['innerHTML'] = text; }"],
  ['outerHTML', 'export function f(el: HTMLElement, text: string) { el.outerHTML = text; }'],
  ['insertAdjacentHTML', "export function f(el: HTMLElement, text: string) { el.insertAdjacentHTML('beforeend', text); }"],
  ['setHTMLUnsafe', 'export function f(el: Element & { setHTMLUnsafe(s: string): void }, text: string) { el.setHTMLUnsafe(text); }'],
  ['createContextualFragment', 'export function f(text: string) { return document.createRange().createContextualFragment(text); }'],
  ['document.write', 'export function f(text: string) { document.write(text); }'],
  ['document.writeln', 'export function f(text: string) { document.writeln(text); }'],
  ['Object.assign innerHTML', 'export function f(el: HTMLElement, text: string) { Object.assign(el, { innerHTML: text }); }'],
  ['srcdoc attribute', "export function f(el: HTMLElement, text: string) { el.setAttribute('srcdoc', text); }"],
  ['on* attribute', "export function f(el: HTMLElement, text: string) { el.setAttribute('onclick', text); }"],
  ['dangerouslySetInnerHTML', 'export const F = (p: { t: string }) => <div dangerouslySetInnerHTML={{ __html: p.t }} />;'],
  ['eval', 'export function f(text: string) { return eval(text); }'],
  ['new Function', "export function f(text: string) { return new Function('x', text); }"],
  ['setTimeout with a string', "export function f(text: string) { setTimeout('run(' + text + ')', 10); }"],
];

describe('lint: no HTML or code from strings', () => {
  for (const [name, code] of SINKS) {
    it(`rejects ${name}`, async () => {
      const ids = await ruleIds(code);
      expect(ids.length, ids.join(', ')).toBeGreaterThan(0);
      expect(ids.every((id) => ['no-restricted-syntax', 'no-restricted-properties', 'no-eval', 'no-new-func', 'no-implied-eval'].includes(id))).toBe(true);
    });
  }

  it('applies to background and data code too', async () => {
    expect(await ruleIds('export function f(text: string) { return eval(text); }', 'src/data/probe.ts')).toContain('no-eval');
    expect(await ruleIds('export function f(el: { innerHTML: string }, t: string) { el.innerHTML = t; }', 'entrypoints/probe.ts')).toContain('no-restricted-syntax');
  });

  it('accepts the safe ways: textContent, DOM nodes, JSX text', async () => {
    const code = [
      'export function f(el: HTMLElement, text: string) {',
      "  const p = document.createElement('p');",
      '  p.textContent = text;',
      '  el.replaceChildren(p);',
      "  el.setAttribute('title', text);",
      '  return el.innerHTML.length;',
      '}',
      'export const F = (p: { t: string }) => <div title={p.t}>{p.t}</div>;',
    ].join('\n');
    expect(await ruleIds(code)).toEqual([]);
  });
});
