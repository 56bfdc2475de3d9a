/**
 * The shadow hosts' own style (panel and order warning), in place of WXT's reset
 * (`:host { all: initial !important }`, which `inheritStyles: true` turns off): every inherited or
 * page-set property reset as before, and the host taken out of the page's flow as an empty fixed
 * box at the viewport's corner. An inline host in the page's `<body>` added a line box at the end
 * of the page (its height grew by a few pixels) and made the page's layout part of every layout
 * of the panel's first frames. `!important` in the host's own shadow tree outranks a page's
 * `!important` rules for it. The fixed UI inside still places itself against the viewport: a
 * fixed host with no transform, filter or containment is not their containing block.
 */
export const HOST_CSS = ':host { all: initial !important; position: fixed !important; top: 0 !important; left: 0 !important; width: 0 !important; height: 0 !important; }';
