import { describe, expect, it } from 'vitest';
import type { DeclineAction } from '../../preload/api';
import { DECLINE_CODES, DECLINE_REASONS } from '../../preload/contract/declines';
import { DEMO_ACTIONS, DEMO_FORGERIES } from '../../preload/contract/methods';
import { en } from '../../renderer/src/i18n/en';
import { zhCN } from '../../renderer/src/i18n/zh-CN';
import { FORGERY_LIST } from '../../renderer/src/screens/demo/ForgedCards';

/** Every leaf's path (arrays count as one leaf: their length may differ by language). */
function leaves(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string' || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    leaves(child, prefix === '' ? key : `${prefix}.${key}`),
  );
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? '').sort();
}

function at(resources: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], resources);
}

describe('translations', () => {
  it('have the same keys in English and Simplified Chinese, each non-empty', () => {
    expect(leaves(zhCN).sort()).toEqual(leaves(en).sort());
    for (const path of leaves(en)) {
      for (const resources of [en, zhCN]) {
        const value = at(resources, path);
        const texts = Array.isArray(value) ? (value as string[]) : [value as string];
        expect(texts.length, path).toBeGreaterThan(0);
        for (const text of texts) expect(text.trim(), path).not.toBe('');
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const path of leaves(en)) {
      const english = at(en, path);
      if (typeof english !== 'string') continue;
      expect(placeholders(at(zhCN, path) as string), path).toEqual(placeholders(english));
    }
  });

  it('translate every decline code, and every next action, in both languages', () => {
    const actions = new Set<DeclineAction>(Object.values(DECLINE_REASONS).map((r) => r.action));
    for (const resources of [en, zhCN]) {
      expect(Object.keys(resources.decline.codes).sort()).toEqual([...DECLINE_CODES].sort());
      for (const action of actions) expect(resources.decline.actions[action]).toBeTruthy();
    }
    // The English wording is the contract's own.
    for (const code of DECLINE_CODES)
      expect(en.decline.codes[code]).toBe(DECLINE_REASONS[code].message);
  });

  it('name every demo action and walk every scenario S1–S13', () => {
    for (const resources of [en, zhCN]) {
      expect(Object.keys(resources.demo.actions).sort()).toEqual([...DEMO_ACTIONS].sort());
      for (let n = 1; n <= 13; n++) {
        const scenario = (resources.guide as Record<string, { steps: readonly string[] }>)[`S${n}`];
        expect(scenario?.steps.length, `S${n}`).toBeGreaterThan(0);
      }
    }
  });

  it("name every forged card of the contract, and the panel offers each in the contract's order", () => {
    for (const resources of [en, zhCN]) {
      expect(Object.keys(resources.forgeries.names).sort()).toEqual([...DEMO_FORGERIES].sort());
    }
    expect(FORGERY_LIST).toEqual([...DEMO_FORGERIES]);
  });
});
