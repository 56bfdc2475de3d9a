import { useState } from 'preact/hooks';
import type { Finding } from '../../engine/types';
import type { CopyText } from './check-state';

/** The findings of one check, coloured by severity; stop findings offer their suggested stop to copy. */
export function FindingList({ findings, copy }: { findings: readonly Finding[]; copy: CopyText }) {
  const [copied, setCopied] = useState<{ value: number; ok: boolean } | undefined>(undefined);
  const copyStop = (value: number) => {
    copy(String(value)).then(
      () => setCopied({ value, ok: true }),
      () => setCopied({ value, ok: false }),
    );
  };
  return (
    <ul>
      {findings.map((finding, index) => (
        <li key={`${finding.kind}${index}`} class={`sev-${finding.severity}`} data-kind={finding.kind} data-severity={finding.severity}>
          {finding.pool ? <span class="side" data-side={finding.pool.side} title={`${finding.pool.side === 'long' ? 'Long' : 'Short'}-liquidation pool`} aria-hidden="true" /> : null}
          {finding.message}
          {finding.suggestedStop !== undefined ? (
            <div>
              <button type="button" class="copy" data-copy-stop={String(finding.suggestedStop)} onClick={() => copyStop(finding.suggestedStop!)}>
                Use suggested stop
              </button>
              {copied?.value === finding.suggestedStop ? (
                <span class="copied" role="status">
                  {copied.ok ? `Copied ${finding.suggestedStop}: paste it into the stop field` : `Could not copy; the value is ${finding.suggestedStop}`}
                </span>
              ) : null}
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
