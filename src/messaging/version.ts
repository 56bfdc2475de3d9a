/** Bumped when a message or its payload changes incompatibly; both ends must agree. */
export const PROTOCOL_VERSION = 1;
export type ProtocolVersion = typeof PROTOCOL_VERSION;
