import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FreshnessToken, exportScalar } from '../../protocol';
import { ManualClock } from '../../platform/clock';
import {
  DEFAULT_RETIRE_AFTER_SECONDS,
  IssuerKeys,
  KeyRingError,
} from '../../platform/keys/issuer-keys';
import { MASTER_KEY_FILE, MasterKeyError, resolveMasterKey } from '../../platform/keys/master-key';
import { backends, useTestDatabases } from './support/databases';
import { T0 } from './support/platform';

const token = (keyId: Uint8Array) => ({
  walletId: new Uint8Array(16).fill(7),
  issuerKeyId: keyId,
  syncTime: T0,
  balance: 1000,
  counter: 3,
});

describe.each(backends())('issuer keys on %s', (backend) => {
  const databases = useTestDatabases(backend);

  it('creates one active key on first open and finds it again on the next', async () => {
    const db = await databases.fresh();
    const clock = new ManualClock(T0);
    const masterKey = randomBytes(32);
    const first = await (await IssuerKeys.open({ db, clock, masterKey })).activeIssuer();
    const again = await (await IssuerKeys.open({ db, clock, masterKey })).activeIssuer();
    expect(again.keyIdHex).toBe(first.keyIdHex);
    expect(exportScalar(again.signingKey)).toEqual(exportScalar(first.signingKey));
    const rows = await db.selectFrom('platform_keys').selectAll().execute();
    expect(rows).toHaveLength(1);
    // Sealed at rest: the scalar does not appear in the stored bytes.
    expect(
      Buffer.from(rows[0]?.sealed_private ?? []).includes(
        Buffer.from(exportScalar(first.signingKey)),
      ),
    ).toBe(false);
  });

  it('refuses to load keys under another master key', async () => {
    const db = await databases.fresh();
    const clock = new ManualClock(T0);
    await IssuerKeys.open({ db, clock, masterKey: randomBytes(32) });
    const wrong = IssuerKeys.open({ db, clock, masterKey: randomBytes(32) });
    await expect(wrong).rejects.toBeInstanceOf(KeyRingError);
    await expect(wrong).rejects.toMatchObject({ code: 'master_key_mismatch' });
  });

  it('signs with the active key; after rotation the old key verifies until it retires', async () => {
    const db = await databases.fresh();
    const clock = new ManualClock(T0);
    const keys = await IssuerKeys.open({ db, clock, masterKey: randomBytes(32) });
    const old = await keys.activeIssuer();
    const signedByOld = FreshnessToken.sign(token(old.keyId), old.signingKey);

    const { active, retired } = await keys.rotate({ retireOldAfterSeconds: 3600 });
    expect(retired?.keyIdHex).toBe(old.keyIdHex);
    expect(retired?.retiredAt).toBe(T0 + 3600);
    const current = await keys.activeIssuer();
    expect(current.keyIdHex).toBe(active.keyIdHex);
    expect(current.keyIdHex).not.toBe(old.keyIdHex);

    const oldPublic = await keys.publicKeyFor(old.keyId);
    expect(oldPublic).toEqual(old.publicKey);
    expect(() => FreshnessToken.open(signedByOld.encoded, oldPublic as Uint8Array)).not.toThrow();
    expect((await keys.verifyingKeys()).map((k) => k.keyIdHex).sort()).toEqual(
      [old.keyIdHex, current.keyIdHex].sort(),
    );

    clock.advance(3600);
    expect(await keys.publicKeyFor(old.keyId)).toBeUndefined();
    expect((await keys.verifyingKeys()).map((k) => k.keyIdHex)).toEqual([current.keyIdHex]);
    expect(await keys.publicKeyFor(current.keyId)).toEqual(current.publicKey);
    expect(await keys.publicKeyFor(new Uint8Array(8))).toBeUndefined();
    expect((await keys.list()).map((k) => k.isActive)).toEqual([true, false]);
  });

  it('keeps old keys verifying for the default period, and can retire one at once', async () => {
    const db = await databases.fresh();
    const clock = new ManualClock(T0);
    const keys = await IssuerKeys.open({ db, clock, masterKey: randomBytes(32) });
    const old = await keys.activeIssuer();
    await keys.rotate();
    clock.advance(DEFAULT_RETIRE_AFTER_SECONDS - 1);
    expect(await keys.publicKeyFor(old.keyId)).toBeDefined();
    expect(await keys.retire(old.keyIdHex)).toBe(true);
    expect(await keys.publicKeyFor(old.keyId)).toBeUndefined();
    const active = await keys.activeIssuer();
    expect(await keys.retire(active.keyIdHex)).toBe(false); // the active key cannot be retired
  });

  it('keeps one active key when two nodes open an empty database at once', async () => {
    const db = await databases.fresh();
    const clock = new ManualClock(T0);
    const masterKey = randomBytes(32);
    const [a, b] = await Promise.all([
      IssuerKeys.open({ db, clock, masterKey }),
      IssuerKeys.open({ db, clock, masterKey }),
    ]);
    expect((await a.activeIssuer()).keyIdHex).toBe((await b.activeIssuer()).keyIdHex);
    expect(await db.selectFrom('platform_keys').select('key_id').execute()).toHaveLength(1);
  });

  it("answers inside a transaction, and sees another node's rotation once it refreshes", async () => {
    const db = await databases.fresh();
    const clock = new ManualClock(T0);
    const masterKey = randomBytes(32);
    const here = await IssuerKeys.open({ db, clock, masterKey });
    const there = await IssuerKeys.open({ db, clock, masterKey });
    const before = await here.activeIssuer();
    // On PGlite (one connection) a query through the pool here would never return.
    const inside = await db
      .transaction()
      .execute(async () => [await here.activeIssuer(), await here.verifyingKeys()] as const);
    expect(inside[0].keyIdHex).toBe(before.keyIdHex);
    expect(inside[1].map((k) => k.keyIdHex)).toEqual([before.keyIdHex]);

    const { active } = await there.rotate({ retireOldAfterSeconds: 0 });
    expect((await there.activeIssuer()).keyIdHex).toBe(active.keyIdHex);
    // Until it refreshes, this node signs with the key it read (still listed in the ring).
    expect((await here.activeIssuer()).keyIdHex).toBe(before.keyIdHex);
    // A key it has never seen is looked up at once: a certificate by the new key verifies.
    const found = await here.publicKeyFor(Buffer.from(active.keyIdHex, 'hex'));
    expect(Buffer.from(found ?? [])).toEqual(Buffer.from(active.publicKey));
    expect((await here.activeIssuer()).keyIdHex).toBe(active.keyIdHex);
    expect((await here.verifyingKeys()).map((k) => k.keyIdHex)).toEqual([active.keyIdHex]);
    expect(await here.publicKeyFor(before.keyId)).toBeUndefined();
  });
});

describe('master key', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'tapsafe-master-'));

  it('creates <dataDir>/master.key with mode 0600 on first start and reads it after', () => {
    const dataDir = dir();
    const created = resolveMasterKey({ dataDir });
    expect(created.origin).toBe('created-file');
    const path = join(dataDir, MASTER_KEY_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(Buffer.from(created.key).toString('hex'));
    const read = resolveMasterKey({ dataDir });
    expect(read.origin).toBe('file');
    expect(read.key).toEqual(created.key);
  });

  it('prefers PLATFORM_MASTER_KEY and refuses a malformed one', () => {
    const hex = randomBytes(32).toString('hex');
    expect(Buffer.from(resolveMasterKey({ env: hex, dataDir: dir() }).key).toString('hex')).toBe(
      hex,
    );
    expect(() => resolveMasterKey({ env: 'abc', dataDir: dir() })).toThrow(MasterKeyError);
  });

  it('reads PLATFORM_MASTER_KEY_FILE (hex or base64) and refuses a readable or missing one', () => {
    const key = randomBytes(32);
    const path = join(dir(), 'shared.key');
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600 });
    const dataDir = dir();
    const read = resolveMasterKey({ file: path, dataDir });
    expect(read).toMatchObject({ origin: 'key-file' });
    expect(Buffer.from(read.key).equals(key)).toBe(true);
    // The configured file wins, and nothing is created in the data folder.
    expect(existsSync(join(dataDir, MASTER_KEY_FILE))).toBe(false);

    chmodSync(path, 0o640);
    expect(() => resolveMasterKey({ file: path })).toThrow(
      /^PLATFORM_MASTER_KEY_FILE: .* is readable by others/,
    );
    expect(() => resolveMasterKey({ file: join(dir(), 'absent.key') })).toThrow(
      /^PLATFORM_MASTER_KEY_FILE: cannot read/,
    );
    const short = join(dir(), 'short.key');
    writeFileSync(short, 'abcd', { mode: 0o600 });
    expect(() => resolveMasterKey({ file: short })).toThrow(
      /^PLATFORM_MASTER_KEY_FILE \(.*\) must be 32 bytes/,
    );
  });

  it('on a shared database, refuses to start without a configured key (no master.key made)', () => {
    const dataDir = dir();
    expect(() => resolveMasterKey({ shared: true, dataDir })).toThrow(
      /needs the master key every node uses: set PLATFORM_MASTER_KEY or PLATFORM_MASTER_KEY_FILE/,
    );
    expect(existsSync(join(dataDir, MASTER_KEY_FILE))).toBe(false);
    const hex = randomBytes(32).toString('hex');
    expect(resolveMasterKey({ shared: true, env: hex, dataDir }).origin).toBe('env');
  });

  it('refuses a key file that others can read', () => {
    const dataDir = dir();
    const path = join(dataDir, MASTER_KEY_FILE);
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`);
    chmodSync(path, 0o644);
    expect(() => resolveMasterKey({ dataDir })).toThrow(/readable by others/);
  });

  it('is ephemeral without a data folder', () => {
    const a = resolveMasterKey({});
    expect(a.origin).toBe('ephemeral');
    expect(resolveMasterKey({}).key).not.toEqual(a.key);
  });
});
