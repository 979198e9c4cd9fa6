/**
 * Issuer keys for use INSIDE a database transaction. IssuerKeys reads the active key
 * through the pool, which inside a transaction on PGlite (one connection) waits for that
 * transaction forever, and on PostgreSQL reads outside it. So read the key first and sign
 * everything of one transaction with it: `const keys = await pinnedIssuerKeys(app.platform.keys)`
 * before `db.transaction()`, then pass `keys` to queueNotification and friends.
 *
 * A rotation that commits meanwhile does no harm: the pinned key keeps verifying until it
 * retires (400 days by default). Methods other than activeIssuer / verifyingKeys go to the
 * real key ring (and so must not be called inside the transaction either).
 */
import type { IssuerKeys } from './issuer-keys';

export async function pinnedIssuerKeys(keys: IssuerKeys): Promise<IssuerKeys> {
  const issuer = await keys.activeIssuer();
  const verifying = await keys.verifyingKeys();
  const delegate = (name: 'publicKeyFor' | 'list' | 'rotate' | 'retire') => ({
    value: keys[name].bind(keys),
  });
  // Own properties shadow the class methods, whose private fields only `keys` itself has.
  return Object.create(keys, {
    activeIssuer: { value: () => Promise.resolve(issuer) },
    verifyingKeys: { value: () => Promise.resolve(verifying) },
    publicKeyFor: delegate('publicKeyFor'),
    list: delegate('list'),
    rotate: delegate('rotate'),
    retire: delegate('retire'),
  }) as IssuerKeys;
}
