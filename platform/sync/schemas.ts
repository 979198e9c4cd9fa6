/** The sync answer's schema: the sync routes' reply, and the unlock route's (verification). */
import { z } from 'zod';

export const SyncAnswer = z.object({
  freshness: z.string().optional().describe('signed FreshnessToken envelope, hex'),
  notifications: z.array(z.string()).describe('signed Notification envelopes, hex, oldest first'),
  issuerKeys: z
    .array(z.string())
    .describe(
      'signed IssuerKeyAnnouncement envelopes, hex: one per issuer key that verifies now ' +
        '(validUntil its retirement, or 2^32 − 1), each signed by the oldest key that verifies',
    ),
  balance: z.number().int().describe('the wallet balance the platform holds'),
  syncTime: z.number().int(),
});
