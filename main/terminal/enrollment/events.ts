/** Events of the enrollment service, published through the injected callback. */
import type { EnrollmentStatus } from './status';

export const ENROLLMENT_EVENTS = {
  /** The enrollment status changed (enrolled). */
  status: 'enrollment.status',
} as const;

export interface EnrollmentEventPayloads {
  'enrollment.status': EnrollmentStatus;
}

export type EnrollmentPublish = <E extends keyof EnrollmentEventPayloads>(
  event: E,
  payload: EnrollmentEventPayloads[E],
) => void;
