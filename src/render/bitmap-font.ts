/**
 * A tiny built-in bitmap font (7 pixels high, up to 5 wide) for axis and legend labels: there is
 * no canvas in a worker-free Node run or in golden-image tests, and text must be byte-identical
 * everywhere. Covers digits, A-Z, `k`, and `. , $ - + : % / ( ) ' '`; other lowercase letters
 * draw as their capitals, anything else as a hollow box.
 */

/**
 * Glyph rows, top to bottom; `#` is ink. All rows of a glyph have the same width. Glyphs are
 * 7 rows high; an 8th row is a descender drawn into the line gap (the comma, so that `64,000`
 * does not read as `64.000`).
 */
const GLYPHS: Record<string, readonly string[]> = {
  '0': ['.###.', '#...#', '#..##', '#.#.#', '##..#', '#...#', '.###.'],
  '1': ['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  '2': ['.###.', '#...#', '....#', '...#.', '..#..', '.#...', '#####'],
  '3': ['#####', '...#.', '..#..', '...#.', '....#', '#...#', '.###.'],
  '4': ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
  '5': ['#####', '#....', '####.', '....#', '....#', '#...#', '.###.'],
  '6': ['..##.', '.#...', '#....', '####.', '#...#', '#...#', '.###.'],
  '7': ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'],
  '8': ['.###.', '#...#', '#...#', '.###.', '#...#', '#...#', '.###.'],
  '9': ['.###.', '#...#', '#...#', '.####', '....#', '...#.', '.##..'],
  A: ['.###.', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  B: ['####.', '#...#', '#...#', '####.', '#...#', '#...#', '####.'],
  C: ['.###.', '#...#', '#....', '#....', '#....', '#...#', '.###.'],
  D: ['####.', '#...#', '#...#', '#...#', '#...#', '#...#', '####.'],
  E: ['#####', '#....', '#....', '####.', '#....', '#....', '#####'],
  F: ['#####', '#....', '#....', '####.', '#....', '#....', '#....'],
  G: ['.###.', '#...#', '#....', '#.###', '#...#', '#...#', '.####'],
  H: ['#...#', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  I: ['###', '.#.', '.#.', '.#.', '.#.', '.#.', '###'],
  J: ['..###', '...#.', '...#.', '...#.', '...#.', '#..#.', '.##..'],
  K: ['#...#', '#..#.', '#.#..', '##...', '#.#..', '#..#.', '#...#'],
  L: ['#....', '#....', '#....', '#....', '#....', '#....', '#####'],
  M: ['#...#', '##.##', '#.#.#', '#.#.#', '#...#', '#...#', '#...#'],
  N: ['#...#', '#...#', '##..#', '#.#.#', '#..##', '#...#', '#...#'],
  O: ['.###.', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  P: ['####.', '#...#', '#...#', '####.', '#....', '#....', '#....'],
  Q: ['.###.', '#...#', '#...#', '#...#', '#.#.#', '#..#.', '.##.#'],
  R: ['####.', '#...#', '#...#', '####.', '#.#..', '#..#.', '#...#'],
  S: ['.####', '#....', '#....', '.###.', '....#', '....#', '####.'],
  T: ['#####', '..#..', '..#..', '..#..', '..#..', '..#..', '..#..'],
  U: ['#...#', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  V: ['#...#', '#...#', '#...#', '#...#', '#...#', '.#.#.', '..#..'],
  W: ['#...#', '#...#', '#...#', '#.#.#', '#.#.#', '#.#.#', '.#.#.'],
  X: ['#...#', '#...#', '.#.#.', '..#..', '.#.#.', '#...#', '#...#'],
  Y: ['#...#', '#...#', '.#.#.', '..#..', '..#..', '..#..', '..#..'],
  Z: ['#####', '....#', '...#.', '..#..', '.#...', '#....', '#####'],
  k: ['#...', '#...', '#..#', '#.#.', '##..', '#.#.', '#..#'],
  '.': ['..', '..', '..', '..', '..', '##', '##'],
  ',': ['..', '..', '..', '..', '..', '.#', '.#', '#.'],
  $: ['..#..', '.####', '#.#..', '.###.', '..#.#', '####.', '..#..'],
  '-': ['....', '....', '....', '####', '....', '....', '....'],
  '+': ['.....', '..#..', '..#..', '#####', '..#..', '..#..', '.....'],
  ':': ['..', '##', '##', '..', '##', '##', '..'],
  '%': ['##..#', '##..#', '...#.', '..#..', '.#...', '#..##', '#..##'],
  '/': ['....#', '....#', '...#.', '..#..', '.#...', '#....', '#....'],
  '(': ['.#', '#.', '#.', '#.', '#.', '#.', '.#'],
  ')': ['#.', '.#', '.#', '.#', '.#', '.#', '#.'],
  ' ': ['...', '...', '...', '...', '...', '...', '...'],
  '?': ['#####', '#...#', '#...#', '#...#', '#...#', '#...#', '#####'],
};

/** Glyph height in font pixels. */
export const GLYPH_HEIGHT = 7;

interface Glyph {
  readonly width: number;
  /** Ink as a bit mask per row (bit x set = column x inked). */
  readonly rows: Uint8Array;
}

const COMPILED = new Map<string, Glyph>();
for (const [char, rows] of Object.entries(GLYPHS)) {
  const mask = new Uint8Array(rows.length);
  for (let y = 0; y < rows.length; y++) {
    const row = rows[y]!;
    for (let x = 0; x < row.length; x++) if (row[x] === '#') mask[y]! |= 1 << x;
  }
  COMPILED.set(char, { width: rows[0]!.length, rows: mask });
}

function glyphOf(char: string): Glyph {
  return COMPILED.get(char) ?? COMPILED.get(char.toUpperCase()) ?? COMPILED.get('?')!;
}

/**
 * Width in pixels of `text` at `scale` (one font pixel of spacing between glyphs).
 * @example measureText('64,000', 1) // 5+1+5+1+2+1+5+1+5+1+5 = 32
 */
export function measureText(text: string, scale = 1): number {
  if (text.length === 0) return 0;
  let width = 0;
  for (const char of text) width += glyphOf(char).width + 1;
  return (width - 1) * scale;
}

/** An RGBA image the drawing helpers write into. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/** An opaque colour as [r, g, b]. */
export type Rgb = readonly [number, number, number];

/**
 * Draws `text` with its top-left corner at (x, y); pixels outside the image are skipped.
 * @example drawText(image, 4, 4, '$12.3M', [255, 255, 255], 1)
 */
export function drawText(image: RgbaImage, x: number, y: number, text: string, color: Rgb, scale = 1): void {
  let penX = Math.round(x);
  const top = Math.round(y);
  for (const char of text) {
    const glyph = glyphOf(char);
    for (let gy = 0; gy < glyph.rows.length; gy++) {
      const bits = glyph.rows[gy]!;
      if (bits === 0) continue;
      for (let gx = 0; gx < glyph.width; gx++) {
        if ((bits & (1 << gx)) === 0) continue;
        fillRect(image, penX + gx * scale, top + gy * scale, scale, scale, color);
      }
    }
    penX += (glyph.width + 1) * scale;
  }
}

/**
 * Fills a rectangle, clipped to the image. The first row is written pixel by pixel (wide rows by
 * doubling copies), the others are copies of it: a background fill stays a few native copies,
 * not a loop over every byte, which matters on the exchange's page before the code is optimised.
 */
export function fillRect(image: RgbaImage, x: number, y: number, width: number, height: number, color: Rgb): void {
  const x0 = Math.max(0, Math.round(x));
  const y0 = Math.max(0, Math.round(y));
  const x1 = Math.min(image.width, Math.round(x + width));
  const y1 = Math.min(image.height, Math.round(y + height));
  if (x1 <= x0 || y1 <= y0) return;
  const { data } = image;
  const [r, g, b] = color;
  const start = (y0 * image.width + x0) * 4;
  const rowBytes = (x1 - x0) * 4;
  const direct = Math.min(rowBytes, 32);
  for (let offset = start; offset < start + direct; offset += 4) {
    data[offset] = r;
    data[offset + 1] = g;
    data[offset + 2] = b;
    data[offset + 3] = 255;
  }
  for (let filled = direct; filled < rowBytes; filled *= 2) data.copyWithin(start + filled, start, start + Math.min(filled, rowBytes - filled));
  for (let py = y0 + 1; py < y1; py++) data.copyWithin((py * image.width + x0) * 4, start, start + rowBytes);
}
