/** The extension's message contract: types, validators, the background's dispatcher and the callers' client. */
export * from './contract';
export { createClient, type CallResult, type Client, type ClientArgs, type ClientMethods, MessagingError, readResponse, type Send } from './client';
export { createMessageListener, dispatch, errorResponse, senderProblem, type SenderInfo } from './dispatch';
export type { Check, Checked, Fields, Issue, OptionalField } from './validate';
