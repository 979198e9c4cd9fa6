/** The 1M-ready hotlist index and its files: lookups agree with a plain map, whatever is applied. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { HotlistEntry } from '../../../protocol';
import {
  decodeBase,
  decodeMain,
  encodeBase,
  encodeMain,
  HotlistFileError,
  HotlistStore,
} from '../../../db/hotlist-store';
import { sha256 } from '../../../protocol';
import { HotlistIndex } from '../../../main/terminal/sync/hotlist-index';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
// Few distinct bytes, so ids share long prefixes and every word of the comparison matters.
const walletId = fc.uint8Array({ minLength: 16, maxLength: 16, min: 0, max: 3 });
const entry = fc.record({
  walletId,
  reason: fc.constantFrom('lost', 'stolen', 'double_spend', 'migrated', 'closed'),
  revokedAt: fc.integer({ min: 0, max: 2 ** 40 }),
}) as fc.Arbitrary<HotlistEntry>;

/** Through the files' encodings, as after a restart. */
function reloaded(index: HotlistIndex): HotlistIndex {
  const base = encodeBase(index.snapshot.base);
  const digest = sha256(base);
  const main = decodeMain(encodeMain(index.snapshot, digest));
  return HotlistIndex.fromSnapshot({ ...main, base: decodeBase(base, digest) }, 8);
}

describe('HotlistIndex', () => {
  it('answers as a map of the entries applied (a full list, then deltas, overlay merges)', () => {
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 40 }),
        fc.array(fc.array(entry, { maxLength: 12 }), { maxLength: 6 }),
        fc.array(walletId, { maxLength: 30 }),
        (full, deltas, probes) => {
          // An overlay of at most 8 entries: most runs merge it into the base at least once.
          let index = HotlistIndex.empty(8).withFull(full, [], { version: 1, issuedAt: 10 });
          const listed = new Map<string, HotlistEntry>();
          // Within one list the earliest revocation wins; across lists the first one stays.
          const applyList = (list: HotlistEntry[]) => {
            const fresh = new Map<string, HotlistEntry>();
            for (const e of list) {
              const seen = fresh.get(hex(e.walletId));
              if (seen === undefined || e.revokedAt < seen.revokedAt) fresh.set(hex(e.walletId), e);
            }
            for (const e of fresh.values())
              if (!listed.has(hex(e.walletId))) listed.set(hex(e.walletId), e);
          };
          applyList(full);
          deltas.forEach((delta, i) => {
            index = index.withDelta(delta, [], { version: i + 2, issuedAt: 20 + i });
            applyList(delta);
          });
          expect(index.count).toBe(listed.size);
          const back = reloaded(index);
          expect([back.version, back.count]).toEqual([index.version, index.count]);
          for (const probe of [...probes, ...[...listed.values()].map((e) => e.walletId)]) {
            const expected = listed.get(hex(probe));
            const found = index.lookup(probe);
            expect(found === undefined).toBe(expected === undefined);
            if (expected && found) {
              expect(found.reason).toBe(expected.reason);
              expect(found.revokedAt).toBe(expected.revokedAt);
            }
            expect(back.lookup(probe)).toEqual(found);
          }
        },
      ),
    );
  });

  it('keeps notices per wallet, oldest first, once each, and drops those of unlisted wallets', () => {
    const a = new Uint8Array(16).fill(1);
    const b = new Uint8Array(16).fill(2);
    const notice = (walletId: Uint8Array, sequence: number) => ({
      walletId,
      sequence,
      envelope: Uint8Array.of(sequence),
    });
    const lost = (walletId: Uint8Array): HotlistEntry => ({
      walletId,
      reason: 'lost',
      revokedAt: 5,
    });
    let index = HotlistIndex.empty().withFull([lost(a), lost(b)], [notice(a, 3)], {
      version: 1,
      issuedAt: 1,
    });
    index = index.withDelta([], [notice(a, 2), notice(a, 3), notice(b, 1)], {
      version: 2,
      issuedAt: 2,
    });
    expect(index.notices(a)).toEqual([Uint8Array.of(2), Uint8Array.of(3)]);
    index = index.withFull([lost(a)], [], { version: 3, issuedAt: 3 });
    expect(index.notices(b)).toEqual([]);
    expect(index.notices(a)).toHaveLength(2);
    expect(index.notices(new Uint8Array(3))).toEqual([]);
    expect(index.lookup(new Uint8Array(3))).toBeUndefined();
  });

  describe('its files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tapsafe-hotlist-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'hotlist.bin');
    const id = (n: number) => new Uint8Array(16).fill(n);
    const bases = () => readdirSync(dir).filter((n) => n.startsWith('hotlist.bin.base-'));

    it('are absent before the first list; a delta rewrites only the main file', async () => {
      const store = new HotlistStore(path);
      expect(store.load()).toBeUndefined();
      const full = HotlistIndex.empty().withFull(
        [{ walletId: id(9), reason: 'stolen', revokedAt: 77 }],
        [],
        { version: 4, issuedAt: 99 },
      );
      await store.save(full.snapshot);
      const [base] = bases();
      const delta = full.withDelta([{ walletId: id(5), reason: 'lost', revokedAt: 78 }], [], {
        version: 5,
        issuedAt: 100,
      });
      await store.save(delta.snapshot);
      expect(bases()).toEqual([base]);
      const loaded = HotlistIndex.fromSnapshot(new HotlistStore(path).load()!);
      expect(loaded.lookup(id(9))?.reason).toBe('stolen');
      expect(loaded.lookup(id(5))?.reason).toBe('lost');
      expect([loaded.version, loaded.issuedAt]).toEqual([5, 100]);
      // A new full list writes a new base and removes the old one.
      await store.save(loaded.withFull([], [], { version: 6, issuedAt: 101 }).snapshot);
      expect(bases()).toHaveLength(1);
      expect(bases()[0]).not.toBe(base);
    });

    it('are refused when damaged: a flipped byte, a truncation, another file, a lost base', () => {
      const good = readFileSync(path);
      const flipped = Buffer.from(good);
      flipped[70] = (flipped[70] as number) ^ 1;
      for (const bad of [
        flipped,
        good.subarray(0, good.length - 1),
        Buffer.from('not a hotlist'),
      ]) {
        writeFileSync(path, bad);
        expect(() => new HotlistStore(path).load()).toThrow(HotlistFileError);
      }
      writeFileSync(path, good);
      const base = join(dir, bases()[0]!);
      const baseBytes = readFileSync(base);
      writeFileSync(base, Buffer.concat([baseBytes, Buffer.of(0)]));
      expect(() => new HotlistStore(path).load()).toThrow(HotlistFileError);
      rmSync(base);
      expect(existsSync(base)).toBe(false);
      expect(() => new HotlistStore(path).load()).toThrow(/base file is missing/);
    });
  });
});
