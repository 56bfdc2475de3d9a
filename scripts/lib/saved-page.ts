/**
 * The HTML of a page saved from the browser: "Webpage, Complete" / "HTML only" files as they
 * are, and "Webpage, Single File" (`.mhtml`, MIME multipart) by its first `text/html` part,
 * decoded from quoted-printable or base64 (RFC 2045).
 */

export class SavedPageError extends Error {}

/** Decodes quoted-printable text whose bytes are UTF-8. */
function quotedPrintable(text: string): string {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const ch = soft.charCodeAt(i);
    if (ch === 0x3d && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (ch < 0x80) bytes.push(ch);
    else bytes.push(...Buffer.from(soft[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The HTML part of an MHTML file; throws when it has none. */
function mhtmlHtml(text: string): string {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(text)?.[1];
  if (!boundary) throw new SavedPageError('the MHTML file names no part boundary');
  for (const part of text.split(`--${boundary}`)) {
    const split = /\r?\n\r?\n/.exec(part);
    if (!split) continue;
    const head = part.slice(0, split.index);
    if (!/content-type:\s*text\/html/i.test(head)) continue;
    const body = part.slice(split.index + split[0].length);
    const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
    if (encoding === 'quoted-printable') return quotedPrintable(body);
    if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    return body;
  }
  throw new SavedPageError('the MHTML file holds no text/html part');
}

/**
 * The page's HTML from a saved file's text.
 * @example savedPageHtml(readFileSync('okx.mhtml', 'utf8'))
 */
export function savedPageHtml(text: string): string {
  if (text.includes('\u0000')) throw new SavedPageError('not an HTML page (binary content)');
  const html = /^\s*(?:from:|snapshot-content-location:|subject:|date:|mime-version:)/i.test(text) ? mhtmlHtml(text) : text;
  if (!/<(?:!doctype|html|body|div|form)\b/i.test(html)) throw new SavedPageError('not an HTML page');
  return html;
}
