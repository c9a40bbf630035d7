/** @module Typed domain errors with Chinese messages for users; adapters map them to exit codes or HTTP statuses in one place. */

export type DomainErrorCode = 'invalid_input' | 'no_pack_for_area' | 'date_outside_period' | 'invalid_pack' | 'unknown_policy'
  // Registry and access (storage, HTTP): a missing record, a stale version or duplicate key, a refused action, no valid session, an area not in the registry.
  | 'not_found' | 'conflict' | 'forbidden' | 'unauthenticated' | 'unknown_area'
  // The machine lacks something the software needs (a CJK font for PDF): an operator's problem, not the user's.
  | 'missing_dependency';

export class DomainError extends Error {
  constructor(readonly code: DomainErrorCode, message: string, readonly details: unknown = undefined) {
    super(message);
    this.name = 'DomainError';
  }
}
