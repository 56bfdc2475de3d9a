/**
 * A minimal reader of zip archives (the store packages `npm run zip` writes): names from the
 * central directory, contents stored or deflated. Enough for WXT's JSZip output; no zip64, no
 * encryption. Format: PKWARE APPNOTE.TXT sections 4.3.7 (local header), 4.3.12 (central
 * directory header) and 4.3.16 (end of central directory).
 */
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

export interface ZipArchive {
  /** File names (directories, which end in "/", left out). */
  readonly names: readonly string[];
  /** A file's bytes; throws for a name the archive does not hold. */
  read(name: string): Buffer;
}

export function readZip(path: string): ZipArchive {
  const data = readFileSync(path);
  let end = data.length - 22;
  while (end >= 0 && data.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error(`${path}: no end of central directory, not a zip archive`);
  const count = data.readUInt16LE(end + 10);
  let offset = data.readUInt32LE(end + 16);
  const entries = new Map<string, { method: number; compressedSize: number; localOffset: number }>();
  for (let i = 0; i < count; i++) {
    if (data.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${path}: bad central directory entry ${i}`);
    const method = data.readUInt16LE(offset + 10);
    const compressedSize = data.readUInt32LE(offset + 20);
    const nameLength = data.readUInt16LE(offset + 28);
    const extraLength = data.readUInt16LE(offset + 30);
    const commentLength = data.readUInt16LE(offset + 32);
    const localOffset = data.readUInt32LE(offset + 42);
    const name = data.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (!name.endsWith('/')) entries.set(name, { method, compressedSize, localOffset });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return {
    names: [...entries.keys()],
    read(name) {
      const entry = entries.get(name);
      if (!entry) throw new Error(`${path}: no ${name}`);
      const local = entry.localOffset;
      const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
      const raw = data.subarray(start, start + entry.compressedSize);
      if (entry.method === 0) return Buffer.from(raw);
      if (entry.method === 8) return inflateRawSync(raw);
      throw new Error(`${path}: ${name} uses compression method ${entry.method}`);
    },
  };
}
