/** @module Typed domain errors with Chinese messages for users; adapters map them to exit codes or HTTP statuses in one place. */

export type DomainErrorCode = 'invalid_input' | 'no_pack_for_area' | 'date_outside_period' | 'invalid_pack' | 'unknown_policy';

export class DomainError extends Error {
  constructor(readonly code: DomainErrorCode, message: string, readonly details: unknown = undefined) {
    super(message);
    this.name = 'DomainError';
  }
}
