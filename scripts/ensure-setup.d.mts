// Types of scripts/ensure-setup.mjs (plain JavaScript: it runs before any package is installed).
import type * as nodeFs from 'node:fs';

export type SetupCommand = 'start' | 'test';
export type BrowserName = 'chromium' | 'firefox';
export interface Browser {
  readonly label: string;
  readonly env: string;
  readonly path: string;
  readonly aptPackage: string;
}
export type SetupFs = Pick<typeof nodeFs, 'existsSync' | 'statSync' | 'lstatSync' | 'readFileSync' | 'realpathSync' | 'accessSync'>;
export type SetupStep =
  | { readonly kind: 'ok'; readonly line: string }
  | { readonly kind: 'run'; readonly line: string; readonly commands: readonly (readonly string[])[]; readonly check?: readonly string[] }
  | { readonly kind: 'stop'; readonly line: string; readonly command: string };

export const BROWSERS: Readonly<Record<BrowserName, Browser>>;
export function browsersFor(command: SetupCommand): BrowserName[];
export function dependencyState(root: string, fs?: SetupFs): { state: 'missing' | 'stale' | 'current'; reason: string };
export function isDebianLike(osRelease: string): boolean;
export function planSetup(options: {
  command: SetupCommand;
  root: string;
  env: Readonly<Record<string, string | undefined>>;
  fs?: SetupFs;
  uid: number | undefined;
  osRelease: string;
}): SetupStep[];
export function runSetup(
  steps: readonly SetupStep[],
  io: { exec: (file: string, args: readonly string[]) => void; log: (line: string) => void; fs?: SetupFs },
): number;
