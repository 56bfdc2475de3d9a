/**
 * Chrome's match-pattern semantics (developer.chrome.com/docs/extensions/develop/concepts/match-patterns),
 * for the URL patterns this extension declares: `<scheme>://<host><path>`, where the scheme is
 * `http`, `https` or `*` (both), the host is exact or `*.` + a domain, and the path (matched
 * against the URL's path plus its query, never the fragment) may hold `*` for any run of
 * characters, `/` included. `<all_urls>` and file/ftp schemes are not needed here and throw.
 */
export function matchesPattern(pattern: string, url: string): boolean {
  const parts = /^(\*|https?):\/\/(\*|(?:\*\.)?[^/*]+)(\/.*)$/.exec(pattern);
  if (!parts) throw new Error(`not a match pattern this helper handles: ${pattern}`);
  const [, scheme, host, path] = parts as unknown as [string, string, string, string];
  const parsed = new URL(url);
  const protocol = parsed.protocol.slice(0, -1);
  if (scheme === '*' ? protocol !== 'http' && protocol !== 'https' : protocol !== scheme) return false;
  const hostname = parsed.hostname.toLowerCase();
  if (host !== '*') {
    if (host.startsWith('*.')) {
      const domain = host.slice(2);
      if (hostname !== domain && !hostname.endsWith(`.${domain}`)) return false;
    } else if (hostname !== host) return false;
  }
  // Match patterns ignore the port unless they name one (they cannot here).
  const target = parsed.pathname + parsed.search;
  const regex = new RegExp(`^${path.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(target);
}

/** True when any of `patterns` matches `url`. */
export function matchesAny(patterns: readonly string[], url: string): boolean {
  return patterns.some((pattern) => matchesPattern(pattern, url));
}
