/**
 * `stats-data.hyperliquid.xyz`: the public leaderboard (`GET /Mainnet/leaderboard`), built from
 * the recorded positions snapshot (`hyperliquid-positions.ts` says what is reconstructed). It is
 * outside the API's weight budget, as on the real host; answered after a latency.
 */
import { json } from '../http';
import type { ExchangeContext, ExchangeInstance, ExchangeModule, HttpReply, ReplayRequest } from '../types';
import { positionsSnapshot } from './hyperliquid-positions';

/** Latency of the leaderboard answer, ms (the real one is a 25-35 MB download; no timing was recorded). */
export const LEADERBOARD_LATENCY_MS = 300;

class StatsReplay implements ExchangeInstance {
  constructor(private readonly ctx: ExchangeContext) {}

  handleHttp(req: ReplayRequest): HttpReply {
    if (req.method !== 'GET' || req.path !== '/Mainnet/leaderboard') return json(404, { error: `unknown path ${req.path}` });
    // The real host answers with CORS open (the samples' recorded headers show it for the info API).
    return { ...json(200, positionsSnapshot(this.ctx.dataDir).leaderboard(), { 'access-control-allow-origin': '*' }), delayMs: LEADERBOARD_LATENCY_MS };
  }
}

export const hyperliquidStats: ExchangeModule = {
  id: 'hyperliquid-stats',
  restHosts: ['stats-data.hyperliquid.xyz'],
  wsHosts: [],
  pageHosts: [],
  create: (ctx) => new StatsReplay(ctx),
};
