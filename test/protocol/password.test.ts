import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isProtocolError } from '../../protocol/errors';
import {
  hashPassword,
  hashPasswordSync,
  MAX_PASSWORD_BYTES,
  verifyPassword,
  verifyPasswordSync,
} from '../../protocol/crypto/password';

const FORMAT = /^scrypt\$32768\$8\$1\$([A-Za-z0-9+/]{22}==)\$([A-Za-z0-9+/]{43}=)$/;

/** A stored string built by hand with node's scrypt, independent of password.ts. */
function handMade(
  password: string,
  N: number,
  r: number,
  p: number,
  saltSize: number,
  hashSize: number,
) {
  const salt = randomBytes(saltSize);
  const hash = scryptSync(password, salt, hashSize, { N, r, p, maxmem: 256 * N * r });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

describe('password hashing', () => {
  it('accepts the right password and refuses wrong ones', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(FORMAT);
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', stored)).toBe(false);
    expect(await verifyPassword('Correct horse battery staple', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('stores exactly scrypt(N=2^15, r=8, p=1) of the password under the stored salt', async () => {
    const stored = await hashPassword('pässwörd');
    const [, salt = '', hash = ''] = FORMAT.exec(stored) ?? [];
    const expected = scryptSync('pässwörd', Buffer.from(salt, 'base64'), 32, {
      N: 2 ** 15,
      r: 8,
      p: 1,
      maxmem: 64 * 1024 * 1024,
    });
    expect(Buffer.from(hash, 'base64')).toEqual(expected);
  });

  it('salts: two hashes of the same password differ and both verify', async () => {
    const [a, b] = await Promise.all([hashPassword('same'), hashPassword('same')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same', a)).toBe(true);
    expect(await verifyPassword('same', b)).toBe(true);
  });

  it('reads the parameters from the stored string', async () => {
    const stored = handMade('legacy', 2 ** 14, 8, 2, 24, 48);
    expect(await verifyPassword('legacy', stored)).toBe(true);
    expect(await verifyPassword('legacz', stored)).toBe(false);
    expect(verifyPasswordSync('legacy', stored)).toBe(true);
  });

  it('sync and async variants interoperate', async () => {
    expect(verifyPasswordSync('pin 1234', await hashPassword('pin 1234'))).toBe(true);
    expect(await verifyPassword('pin 1234', hashPasswordSync('pin 1234'))).toBe(true);
    expect(verifyPasswordSync('pin 1235', hashPasswordSync('pin 1234'))).toBe(false);
  });

  it('normalises to NFKC, so composed and decomposed spellings match', async () => {
    const stored = await hashPassword('caf\u00e9');
    expect(await verifyPassword('cafe\u0301', stored)).toBe(true);
  });

  it('refuses to hash over-long passwords, and they never verify', async () => {
    const long = 'x'.repeat(MAX_PASSWORD_BYTES + 1);
    await expect(hashPassword(long)).rejects.toMatchObject({
      code: 'bad_value',
      field: 'password',
    });
    const stored = await hashPassword('x'.repeat(MAX_PASSWORD_BYTES));
    expect(await verifyPassword('x'.repeat(MAX_PASSWORD_BYTES), stored)).toBe(true);
    expect(await verifyPassword(long, stored)).toBe(false);
  });
});

describe('malformed stored strings', () => {
  // Documented choice: anything but a wrong password throws ProtocolError bad_value.
  const good = handMade('pw', 2 ** 14, 8, 1, 16, 32);
  const [, , , , salt = '', hash = ''] = good.split('$');
  const salt8 = randomBytes(8).toString('base64');
  const hash16 = randomBytes(16).toString('base64');
  const hash65 = randomBytes(65).toString('base64');
  const field = (N: string, r = '8', p = '1', s = salt, h = hash) =>
    `scrypt$${N}$${r}$${p}$${s}$${h}`;
  const malformed: Record<string, string> = {
    empty: '',
    'other scheme': good.replace(/^scrypt/, 'bcrypt'),
    'missing field': good.split('$').slice(0, 5).join('$'),
    'extra field': `${good}$`,
    'N not a power of two': field('16383'),
    'N below 2^14': field('8192'),
    'N leading zero': field('016384'),
    'N with sign': field('+16384'),
    'N in exponent form': field('1.6384e4'),
    'N too memory-hungry': field(String(2 ** 22)),
    'N absurd': field('999999999999'),
    'r zero': field('16384', '0'),
    'r too memory-hungry': field('16384', '1024'),
    'p zero': field('16384', '8', '0'),
    'p above 16': field('16384', '8', '17'),
    'work above 64x': field(String(2 ** 20), '2', '16'),
    'salt too short': field('16384', '8', '1', salt8),
    'salt not base64': field('16384', '8', '1', `${salt.slice(0, -3)}*==`),
    'salt unpadded': field('16384', '8', '1', salt.replace(/=+$/, '')),
    'hash too short': field('16384', '8', '1', salt, hash16),
    'hash too long': field('16384', '8', '1', salt, hash65),
    'hash with whitespace': field('16384', '8', '1', salt, ` ${hash}`),
  };

  it('the unmodified string verifies, so each rejection below is about its one change', async () => {
    expect(await verifyPassword('pw', good)).toBe(true);
  });

  for (const [name, stored] of Object.entries(malformed)) {
    it(`throws bad_value for ${name}`, async () => {
      await expect(verifyPassword('pw', stored)).rejects.toMatchObject({
        code: 'bad_value',
        field: 'passwordHash',
      });
      let thrown: unknown;
      try {
        verifyPasswordSync('pw', stored);
      } catch (error) {
        thrown = error;
      }
      expect(isProtocolError(thrown) && thrown.code === 'bad_value').toBe(true);
    });
  }
});
