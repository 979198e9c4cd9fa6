/** Request and response shapes shared by the account-facing units (zod, OpenAPI). */
import { z } from 'zod';

export const AccountId = z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, 'protocol identifier');
export const WalletIdHex = z.string().regex(/^[0-9a-f]{32}$/, '16 bytes, lower-case hex');
/** Money: integer minor units, never beyond 2^53 (the database refuses more anyway). */
export const Amount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const PositiveAmount = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
export const Password = z.string().min(8).max(1024);
export const IdNumber = z.string().min(1).max(64);
export const Imei = z.string().regex(/^[0-9]{15}$/, '15 digits');
export const Imsi = z.string().regex(/^[0-9]{6,15}$/, '6..15 digits');
/** A client-chosen id that makes a money movement idempotent (retries post once). */
export const RequestId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/** What the user types to prove who they are (claim 10): checked by verifyRegistration. */
export const Registration = z
  .object({
    accountId: AccountId,
    password: z.string().min(1).max(1024),
    idNumber: IdNumber.optional().describe(
      'required when the account was registered with one (add-user: TAPSAFE_USER_ID_NUMBER)',
    ),
  })
  .describe(
    'checked against the account; 403 registration_mismatch names the detail at fault in ' +
      '`field` (registration.idNumber, registration.accountId; plain registration for a ' +
      'wrong account or password, never told apart) and counts against the rate limit',
  );
export type Registration = z.infer<typeof Registration>;

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
