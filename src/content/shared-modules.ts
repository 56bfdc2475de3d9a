/**
 * The first file's modules that the chunks import (see ./shared-module-names.ts): the chunks'
 * build leaves them out, and the loader links these instead.
 */
import * as version from '../messaging/version';
import * as pageUrl from '../sites/page-url';
import * as keepMounted from '../ui/keep-mounted';
import * as nextTask from '../ui/panel/next-task';
import * as idle from './idle';
import type { SharedModuleName } from './shared-module-names';

export const SHARED_MODULES: Readonly<Record<SharedModuleName, object>> = {
  'sites/page-url': pageUrl,
  'content/idle': idle,
  'ui/panel/next-task': nextTask,
  'ui/keep-mounted': keepMounted,
  'messaging/version': version,
};
