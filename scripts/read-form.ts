/**
 * Reads the order form of a page saved from the browser with the extension's own adapter code.
 *
 *   npm run read-form -- <exchange> <saved-page.html>
 *
 * Prints one JSON object: {"exchange", "form": true|false, "fields": {"side", "orderType",
 * "entry", "stop", "takeProfit", "leverage", "marginMode", "size", "sizeUnit"}, "missing": [...]}, numbers as
 * numbers, fields the form does not show (or the reader cannot find) left out and listed in
 * `missing`. Exit codes: 0 read (with or without a form), 1 unreadable file, 2 bad command line.
 * See docs/repairing-a-site-adapter.md.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import type { ExchangeId } from '../src/engine/types';
import { ADAPTERS } from '../src/sites/adapters';
import type { OrderFormReading } from '../src/sites/types';
import { SavedPageError, savedPageHtml } from './lib/saved-page';

const USAGE = `usage: npm run read-form -- <exchange> <saved-page.html>

Reads the order form of a futures page saved from the browser (File > Save page as,
"Webpage, Complete" .html or "Single File" .mhtml) with
LiqLens's site adapter for <exchange>, and prints what it reads as JSON.

exchanges: ${Object.keys(ADAPTERS).join(', ')}`;

/** The fields reported, in order. */
const FIELDS = ['side', 'orderType', 'entry', 'stop', 'takeProfit', 'leverage', 'marginMode', 'size', 'sizeUnit'] as const;
type Field = (typeof FIELDS)[number];

interface ReadFormReport {
  readonly exchange: ExchangeId;
  readonly form: boolean;
  readonly fields: Partial<Record<Field, string | number>>;
  readonly missing: Field[];
}

class UsageError extends Error {}
class FileError extends Error {}

/** The report for one reading (null: no form, or a form it cannot read). */
function report(exchange: ExchangeId, form: boolean, reading: OrderFormReading | null): ReadFormReport {
  const fields: Partial<Record<Field, string | number>> = {};
  if (reading) {
    if (reading.side !== undefined) fields.side = reading.side;
    if (reading.type !== 'unknown') fields.orderType = reading.type;
    if (reading.entry !== undefined) fields.entry = reading.entry;
    if (reading.stop !== undefined) fields.stop = reading.stop;
    if (reading.takeProfit !== undefined) fields.takeProfit = reading.takeProfit;
    if (reading.leverage !== undefined) fields.leverage = reading.leverage;
    if (reading.marginMode !== undefined) fields.marginMode = reading.marginMode;
    if (reading.size !== undefined) fields.size = reading.size.amount;
    // The unit switch is read while the size is still empty, too.
    if (reading.sizeUnit !== undefined) fields.sizeUnit = reading.sizeUnit;
  }
  return { exchange, form, fields, missing: FIELDS.filter((f) => fields[f] === undefined) };
}

function readPage(path: string): string {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new FileError(`${path} is not a file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof FileError) throw error;
    throw new FileError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((error as Error).message)}`);
  }
  if (size === 0) throw new FileError(`${path} is empty`);
  try {
    return savedPageHtml(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof SavedPageError) throw new FileError(`${path}: ${error.message} (save the page with File > Save page as, "Webpage, Complete" or "Single File")`);
    throw error;
  }
}

function main(argv: readonly string[]): number {
  try {
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (argv.length !== 2) throw new UsageError(`expected <exchange> <saved-page.html>, got ${argv.length} argument(s)`);
    const [name, path] = argv as [string, string];
    if (!Object.hasOwn(ADAPTERS, name)) throw new UsageError(`unknown exchange "${name}" (known: ${Object.keys(ADAPTERS).join(', ')})`);
    const exchange = name as ExchangeId;
    const html = readPage(path);
    const { document } = parseHTML(html);
    const doc = document as unknown as Document;
    const adapter = ADAPTERS[exchange];
    const form = adapter.findForm(doc);
    const reading = form ? adapter.read(form, doc) : null;
    process.stdout.write(`${JSON.stringify(report(exchange, form !== null, reading))}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`read-form: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof FileError) {
      process.stderr.write(`read-form: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));
