// The committed vectors and the generated tables of docs/protocol.md must be exactly what
// the code produces today, and every committed vector must still decode and verify.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ProtocolError,
  bindingDigest,
  classifyCommand,
  decodeFci,
  parseCommandApdu,
  type SignedObjectType,
} from '../../protocol';
import { expectedFiles } from '../../scripts/vectors';
import { signedObjects } from '../../scripts/spec/docs';
import { toJson, type ObjectVector } from '../../scripts/spec/vectors';
import type { NegativeCase } from '../../scripts/spec/negative';

const vectorPath = (name: string) => new URL(`../vectors/${name}`, import.meta.url);
const readVector = <T>(name: string): T => JSON.parse(readFileSync(vectorPath(name), 'utf8')) as T;
const fromHex = (hex: string) => Buffer.from(hex, 'hex');
const typeNamed = (name: string): SignedObjectType<unknown> => {
  const type = signedObjects.find((t) => t.name === name);
  if (!type) throw new Error(`no object type ${name}`);
  return type;
};

describe('test vectors', () => {
  it('regenerating the vectors and the docs tables changes nothing', () => {
    const files = expectedFiles();
    expect(files.size).toBeGreaterThanOrEqual(5);
    for (const [path, content] of files) {
      expect(readFileSync(path, 'utf8'), `${path} is stale: run npm run vectors`).toBe(content);
    }
  });

  const objects = readVector<ObjectVector[]>('objects.json');
  const keys = readVector<{ keys: Record<string, { publicKey: string }> }>('keys.json').keys;

  it('covers every signed object type', () => {
    expect(new Set(objects.map((o) => o.object))).toEqual(
      new Set(signedObjects.map((t) => t.name)),
    );
  });

  it.each(objects.map((o) => [o.object, o] as const))(
    '%s decodes, verifies and re-encodes',
    (_, vector) => {
      const type = typeNamed(vector.object);
      const signer = keys[vector.signer]?.publicKey ?? '';
      const signed = type.open(fromHex(vector.envelopeHex), fromHex(signer));
      expect(toJson(signed.value)).toEqual(vector.value);
      expect(Buffer.from(signed.body).toString('hex')).toBe(vector.bodyHex);
      expect(Buffer.from(signed.signature).toString('hex')).toBe(vector.signatureHex);
      expect(Buffer.from(type.encodeBody(signed.value)).toString('hex')).toBe(vector.bodyHex);
    },
  );

  it.each(readVector<NegativeCase[]>('negative.json').map((c) => [c.rule, c] as const))(
    'refuses: %s',
    (_, vector) => {
      const type = typeNamed(vector.object);
      const bytes = fromHex(vector.hex);
      const attempt = () =>
        vector.form === 'body'
          ? type.decodeBody(bytes)
          : type.open(bytes, fromHex(keys.wallet?.publicKey ?? ''));
      expect(attempt).toThrow(ProtocolError);
      try {
        attempt();
      } catch (error) {
        expect(error).toMatchObject({ code: vector.code, field: vector.field });
      }
    },
  );

  it('binding digest matches', () => {
    const v = readVector<{ imei: string; imsi: string; salt: string; digest: string }>(
      'binding.json',
    );
    expect(Buffer.from(bindingDigest(v.imei, v.imsi, fromHex(v.salt))).toString('hex')).toBe(
      v.digest,
    );
  });
});

describe('APDU vectors', () => {
  const apdu = readVector<{
    aid: string;
    commands: Record<string, string>;
    fci: Record<string, string>;
  }>('apdu.json');
  const expectedKinds: Record<string, string> = {
    select: 'select',
    readCertificate: 'read_certificate',
    readCertificateExtended: 'read_certificate',
    readFreshnessToken: 'read_freshness',
    pay: 'pay',
    readLog4: 'read_log',
    deliver: 'deliver',
    getResponse256: 'get_response',
  };

  it.each(Object.entries(expectedKinds))('%s classifies as %s', (name, kind) => {
    const command = apdu.commands[name] ?? '';
    expect(command).not.toBe('');
    expect(classifyCommand(parseCommandApdu(fromHex(command)))).toMatchObject({ kind });
  });

  it('the FCIs decode and fit the 38-byte SELECT buffer of nfc-pcsc', () => {
    const active = decodeFci(fromHex(apdu.fci.active ?? ''));
    expect(active.walletState).toBe('active');
    expect(fromHex(apdu.fci.active ?? '').length).toBeLessThanOrEqual(38);
    expect(decodeFci(fromHex(apdu.fci.notActivated ?? '')).walletId).toBeUndefined();
  });
});
