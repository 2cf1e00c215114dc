import Type from 'typebox';
import { defineEvent } from '../../platform/events/envelope.js';

/**
 * Identity's events carry ids, never e-mail addresses or names: the event history is kept
 * for a long time and replicated, and personal data must be erasable.
 */
export const customerRegistered = defineEvent({
  type: 'customer.registered', aggregateType: 'customer',
  payload: Type.Object({ customerId: Type.String({ format: 'uuid' }) }),
});

export const verificationRequested = defineEvent({
  type: 'identity.verification-requested', aggregateType: 'user',
  payload: Type.Object({ userId: Type.String({ format: 'uuid' }) }),
});

export const passwordResetRequested = defineEvent({
  type: 'identity.password-reset-requested', aggregateType: 'user',
  payload: Type.Object({ userId: Type.String({ format: 'uuid' }) }),
});

/** Other modules anonymise what they hold about the customer when they see this. */
export const customerErased = defineEvent({
  type: 'customer.erased', aggregateType: 'customer',
  payload: Type.Object({ customerId: Type.String({ format: 'uuid' }) }),
});

export const identityEvents = [customerRegistered, verificationRequested, passwordResetRequested, customerErased];
