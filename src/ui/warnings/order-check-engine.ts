/**
 * What the order check needs once an order is typed, in one module the content script loads on
 * demand (./order-engine.ts; scripts/lib/content-chunks.ts gives it a file of its own): the
 * engine's check (risk, margin and the exchanges' tier tables) and the real levels it cites.
 */
export { checkOrder } from '../../sites/check-order';
export { citeRealLevels } from './cite-real-levels';
