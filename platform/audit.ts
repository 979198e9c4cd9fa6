/**
 * The audit log: who did what to which subject, and how it ended. Units write one row per
 * security-relevant act (activation, unlock attempts, lost reports, suspensions, key
 * rotation, token creation), inside the same transaction as the act when there is one.
 *
 * Secrets never reach it: `detail` is scrubbed of any key that names one (password, token,
 * secret, private key, authorization; IMEI/IMSI and ID numbers, personal data, likewise),
 * and callers must not put them in `subject` either.
 */
import type { Kysely } from 'kysely';
import type { AuditActorKind, AuditOutcome, PlatformDatabase } from './db/schema';

export interface AuditActor {
  readonly kind: AuditActorKind;
  readonly id?: string;
}

export const SYSTEM_ACTOR: AuditActor = { kind: 'system' };

export interface AuditEvent {
  readonly actor: AuditActor;
  /** Dotted, lower case: 'keys.rotate', 'operator_token.create', 'wallet.unlock'. */
  readonly action: string;
  /** What was acted on, e.g. 'wallet:<hex>', 'account:<id>', 'terminal:<id>'. */
  readonly subject?: string;
  readonly outcome: AuditOutcome;
  readonly remoteAddress?: string;
  readonly detail?: Readonly<Record<string, unknown>>;
  /** From the platform Clock. */
  readonly at: number;
}

const SECRET_KEY =
  /pass(word|phrase)?|secret|token|private|scalar|imei|imsi|id_?number|authori[sz]ation|master_?key/i;
export const REDACTED = '[redacted]';

/** A copy of `detail` with every value under a secret-looking key replaced. */
export function scrubDetail(detail: unknown, depth = 0): unknown {
  if (depth > 8) return REDACTED;
  if (Array.isArray(detail)) return detail.map((item) => scrubDetail(item, depth + 1));
  if (detail instanceof Uint8Array) return `<${detail.length} bytes>`;
  if (detail === null || typeof detail !== 'object') return detail;
  return Object.fromEntries(
    Object.entries(detail).map(([key, value]) => [
      key,
      SECRET_KEY.test(key) ? REDACTED : scrubDetail(value, depth + 1),
    ]),
  );
}

/** Appends one row; pass the transaction of the act being audited when there is one. */
export async function audit(db: Kysely<PlatformDatabase>, event: AuditEvent): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: event.at,
      actor_kind: event.actor.kind,
      actor_id: event.actor.id ?? null,
      action: event.action,
      subject: event.subject ?? null,
      outcome: event.outcome,
      remote_address: event.remoteAddress ?? null,
      detail: JSON.stringify(scrubDetail(event.detail ?? {})),
    })
    .execute();
}
