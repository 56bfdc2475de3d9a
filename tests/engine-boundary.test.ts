/**
 * The engine (src/engine) is pure: it imports only its own files and sees no DOM, browser,
 * Node or third-party API. These tests fail when that boundary is broken, and prove that the
 * lint and type-check configurations would catch a violation.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENGINE = join(ROOT, 'src', 'engine');
const PROBE_DIR_NAME = '__boundary_probe__';
const PROBE_DIR = join(ENGINE, PROBE_DIR_NAME);
const SOURCE_EXTENSIONS = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

function engineSourceFiles(dir: string = ENGINE): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === PROBE_DIR_NAME) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...engineSourceFiles(path));
    else if (SOURCE_EXTENSIONS.test(entry.name)) files.push(path);
  }
  return files;
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

describe('engine import boundary', () => {
  it('every import in src/engine is a relative path that stays inside src/engine', () => {
    const files = engineSourceFiles();
    expect(files.length).toBeGreaterThan(0);
    const violations: string[] = [];
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      const info = ts.preProcessFile(source, true, true);
      const where = relative(ROOT, file);
      for (const { fileName: specifier } of info.importedFiles) {
        if (!/^\.{1,2}(\/|$)/.test(specifier)) {
          violations.push(`${where}: imports '${specifier}' (not a relative path)`);
        } else if (!isInside(ENGINE, resolve(dirname(file), specifier))) {
          violations.push(`${where}: imports '${specifier}' (outside src/engine)`);
        }
      }
      for (const ref of [...info.referencedFiles, ...info.typeReferenceDirectives, ...info.libReferenceDirectives]) {
        violations.push(`${where}: triple-slash reference '${ref.fileName}'`);
      }
    }
    expect(violations).toEqual([]);
  });
});

describe('the tooling rejects boundary violations', () => {
  const probes = {
    ccxt: join(PROBE_DIR, 'imports-ccxt.ts'),
    document: join(PROBE_DIR, 'uses-document.ts'),
    ui: join(PROBE_DIR, 'imports-ui.ts'),
    clean: join(PROBE_DIR, 'clean.ts'),
    helper: join(PROBE_DIR, 'helper.ts'),
  };

  beforeAll(() => {
    rmSync(PROBE_DIR, { recursive: true, force: true });
    mkdirSync(PROBE_DIR, { recursive: true });
    writeFileSync(probes.ccxt, "import * as ccxt from 'ccxt';\nexport const probe: unknown = ccxt;\n");
    writeFileSync(probes.document, 'export const probe: string = document.title;\n');
    writeFileSync(
      probes.ui,
      "import { PopupPlaceholder } from '../../ui/PopupPlaceholder';\nexport const probe: unknown = PopupPlaceholder;\n",
    );
    writeFileSync(probes.helper, 'export const one = 1;\n');
    writeFileSync(probes.clean, "import { one } from './helper';\nexport const probe: number = Math.max(one, 2);\n");
  });

  afterAll(() => {
    rmSync(PROBE_DIR, { recursive: true, force: true });
  });

  it('ESLint reports each violation and accepts clean engine code', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const results = await eslint.lintFiles([PROBE_DIR]);
    const byFile = new Map(results.map((r) => [r.filePath, r]));
    const rulesFor = (file: string): string[] => {
      const result = byFile.get(file);
      expect(result, `ESLint did not lint ${relative(ROOT, file)}`).toBeDefined();
      return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => m.ruleId ?? 'fatal');
    };
    expect(rulesFor(probes.ccxt)).toContain('no-restricted-imports');
    expect(rulesFor(probes.document)).toContain('no-restricted-globals');
    expect(rulesFor(probes.ui)).toContain('no-restricted-imports');
    expect(rulesFor(probes.clean)).toEqual([]);
    expect(rulesFor(probes.helper)).toEqual([]);
  });

  it('tsc rejects DOM use and wrong-way imports in the engine project', () => {
    // ccxt's declarations are large and tsc resolves the package without complaint: ESLint covers it.
    rmSync(probes.ccxt, { force: true });
    const tsc = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.engine.json', '--noEmit', '--pretty', 'false'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(tsc.error).toBeUndefined();
    expect(tsc.status).not.toBe(0);
    const errors = tsc.stdout.split('\n').filter((line) => line.includes(': error TS'));
    const errorsIn = (file: string) =>
      errors.filter((line) => line.replaceAll('\\', '/').startsWith(relative(ROOT, file).replaceAll('\\', '/')));
    expect(errorsIn(probes.document).join('\n')).toMatch(/TS2584|TS2304/);
    expect(errorsIn(probes.document).join('\n')).toContain("'document'");
    expect(errorsIn(probes.ui).length).toBeGreaterThan(0);
    expect(errorsIn(probes.clean)).toEqual([]);
  });
});
