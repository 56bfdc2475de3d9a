/**
 * One colour pair for long and short: it stays distinct under simulated colour vision
 * deficiencies, its text shades are readable on both themes, and every module that colours a
 * side takes it from src/render/side-colors.ts (no stray colour of its own for a side).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LONG_COLOR, SHORT_COLOR } from '../src/render/side-bars';
import { LONG_RGB, SHORT_RGB, SIDE_HEX, SIDE_TEXT_HEX, sideCssVars } from '../src/render/side-colors';

type Rgb = readonly [number, number, number];

const toLinear = (c: number) => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};
const toSrgb = (v: number) => 255 * (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055);
const hexRgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb;

/** Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB. */
const DEFICIENCIES: Record<string, readonly (readonly number[])[]> = {
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};

function simulate(rgb: Rgb, matrix: readonly (readonly number[])[]): Rgb {
  const lin = rgb.map(toLinear);
  return matrix.map((row) => Math.max(0, Math.min(255, toSrgb(Math.max(0, Math.min(1, row[0]! * lin[0]! + row[1]! * lin[1]! + row[2]! * lin[2]!)))))) as unknown as Rgb;
}

/** CIELAB (D65) of an sRGB colour. */
function lab(rgb: Rgb): [number, number, number] {
  const [r, g, b] = rgb.map(toLinear) as [number, number, number];
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}
const deltaE = (a: Rgb, b: Rgb) => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]!));

function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map(toLinear) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: Rgb, b: Rgb) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

describe('the long/short colour pair', () => {
  it('is blue for longs and orange for shorts, the same in pixels and in CSS', () => {
    expect(hexRgb(SIDE_HEX.long)).toEqual([...LONG_RGB]);
    expect(hexRgb(SIDE_HEX.short)).toEqual([...SHORT_RGB]);
    expect(LONG_COLOR).toBe(LONG_RGB);
    expect(SHORT_COLOR).toBe(SHORT_RGB);
    expect(LONG_RGB[2]).toBeGreaterThan(LONG_RGB[0]);
    expect(SHORT_RGB[0]).toBeGreaterThan(SHORT_RGB[2]);
  });

  it.each(Object.keys(DEFICIENCIES))('stays clearly distinct for %s (CIELAB distance over 40)', (name) => {
    const m = DEFICIENCIES[name]!;
    const distance = deltaE(simulate(LONG_RGB, m), simulate(SHORT_RGB, m));
    expect(distance).toBeGreaterThan(40);
    // The text shades too.
    for (const theme of ['dark', 'light'] as const) {
      expect(deltaE(simulate(hexRgb(SIDE_TEXT_HEX[theme].long), m), simulate(hexRgb(SIDE_TEXT_HEX[theme].short), m))).toBeGreaterThan(25);
    }
  });

  it('gives small text at least 4.5:1 contrast on the panel backgrounds', () => {
    for (const side of ['long', 'short'] as const) {
      expect(contrast(hexRgb(SIDE_TEXT_HEX.dark[side]), [14, 17, 23])).toBeGreaterThanOrEqual(4.5);
      expect(contrast(hexRgb(SIDE_TEXT_HEX.light[side]), [255, 255, 255])).toBeGreaterThanOrEqual(4.5);
    }
    expect(sideCssVars('light')).toContain(`--long: ${SIDE_TEXT_HEX.light.long};`);
  });
});

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx|css|html)$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

describe('every side colour comes from side-colors.ts', () => {
  const root = join(__dirname, '..');
  const files = [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'entrypoints'))].filter((f) => !f.endsWith(join('render', 'side-colors.ts')));
  const sources = files.map((f) => ({ file: relative(root, f), text: readFileSync(f, 'utf8') }));

  it('no other module defines a side colour variable or constant', () => {
    for (const { file, text } of sources) {
      expect(text, file).not.toMatch(/--(long|short|above|below|long-mark|short-mark)\s*:/);
      expect(text, file).not.toMatch(/(LONG|SHORT)_(COLOR|RGB)\s*(:\s*Rgb\s*)?=\s*\[/);
    }
  });

  it('every CSS rule for a side, a pool above or below, or a liquidation side reads the shared variables', () => {
    const rule = /([^{}`]*\b(?:long|short|above|below)\b[^{}`]*)\{([^}]*)\}/g;
    let checked = 0;
    for (const { file, text } of sources) {
      for (const match of text.matchAll(rule)) {
        const selector = match[1]!;
        if (!/[.#[]/.test(selector)) continue;
        const body = match[2]!;
        for (const declaration of body.matchAll(/(?:^|;)\s*(color|background|background-color|border-color|fill)\s*:\s*([^;]+)/g)) {
          checked++;
          expect(declaration[2]!.trim(), `${file}: ${selector.trim()}`).toMatch(/^var\(--(long|short|long-mark|short-mark)\)$/);
        }
      }
    }
    // The panel's and popup's pool lines, the tooltip's sides and the warnings' side marks at least.
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  it('the colours the extension used before for sides are gone', () => {
    const old = ['#f0a46c', '#7fa7d6', '#b4541a', '#2b5d99', '#ef9a9a', '#80cbc4', '#c62828', '#00796b', '68, 119, 170', '238, 119, 51'];
    for (const { file, text } of sources) for (const value of old) expect(text.toLowerCase(), `${file} holds ${value}`).not.toContain(value);
  });

  it('the panel, popup, warnings, side bars and markers import the pair', () => {
    for (const file of ['src/ui/panel-css.ts', 'src/ui/theme.ts', 'src/ui/warnings/warnings-css.ts', 'src/render/side-bars.ts', 'src/render/markers.ts']) {
      expect(sources.find((s) => s.file === file)?.text, file).toMatch(/from '(\.\.\/)*(render\/|\.\/)side-colors'/);
    }
  });
});
