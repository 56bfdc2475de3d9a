/**
 * Modules the content script's first file holds already and lends to the later chunks instead of
 * their carrying a second copy (scripts/lib/content-chunks.ts leaves them out of the chunks, which
 * import them as `liqlens:<name>`; src/content/shared-modules.ts hands them to the loader). Each
 * name is a path under `src/` without its extension.
 */
export const SHARED_MODULE_NAMES = ['sites/page-url', 'content/idle', 'ui/panel/next-task', 'ui/keep-mounted', 'messaging/version'] as const;

export type SharedModuleName = (typeof SHARED_MODULE_NAMES)[number];

/** The import the chunks use for a shared module. */
export const SHARED_MODULE_PREFIX = 'liqlens:';
