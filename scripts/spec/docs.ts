/**
 * Generates the object tables of docs/protocol.md from the schemas themselves, so the
 * document cannot drift from the code (test/protocol/vectors.test.ts checks it).
 */
import {
  F,
  FreshnessToken,
  Hotlist,
  IssuerKeyAnnouncement,
  Notification,
  PaymentRecord,
  PaymentRequest,
  SettlementBatch,
  SettlementResult,
  STATUS_WORDS,
  TerminalCertificate,
  WalletCertificate,
  type SignedObjectType,
} from '../../protocol';
import type { Element } from '../../protocol/codec/elements';
import { tagHex } from '../../protocol/codec/tlv';

const begin = (section: string): string => `<!-- BEGIN GENERATED: ${section} -->`;
const END = '<!-- END GENERATED -->';

export const signedObjects: SignedObjectType<unknown>[] = [
  WalletCertificate,
  FreshnessToken,
  PaymentRequest,
  PaymentRecord,
  Notification,
  Hotlist,
  SettlementBatch,
  SettlementResult,
  TerminalCertificate,
  IssuerKeyAnnouncement,
] as SignedObjectType<unknown>[];

function rows(element: Element<unknown>, depth: number): string[] {
  const out: string[] = [];
  for (const [name, child] of Object.entries(element.children ?? {})) {
    const indent = '↳ '.repeat(depth);
    out.push(`| ${indent}\`${name}\` | \`${tagHex(child.tag)}\` | ${child.describe} |`);
    out.push(...rows(child, depth + 1));
  }
  return out;
}

function objectSection(type: SignedObjectType<unknown>): string {
  return [
    `### ${type.name}`,
    '',
    `Body tag \`${tagHex(type.body.tag)}\`; signature domain \`${type.domain}\`.`,
    '',
    '| field | tag | value |',
    '|---|---|---|',
    ...rows(type.body, 0),
  ].join('\n');
}

function registry(): string {
  const lines = Object.entries(F).map(
    ([name, el]) => `| \`${tagHex(el.tag)}\` | \`${name}\` | ${el.describe} |`,
  );
  return ['### Field tags', '', '| tag | field | value |', '|---|---|---|', ...lines].join('\n');
}

function statusWords(): string {
  const lines = Object.entries(STATUS_WORDS).map(([name, { sw, meaning }]) => {
    const word = sw.toString(16).toUpperCase().padStart(4, '0');
    const shown =
      (sw & 0xff) === 0 && (sw >> 8 === 0x61 || sw >> 8 === 0x6c) ? `${word.slice(0, 2)}xx` : word;
    return `| ${shown} | ${name} | ${meaning} |`;
  });
  return ['| SW | name | meaning |', '|---|---|---|', ...lines].join('\n');
}

const sections: Record<string, () => string> = {
  objects: () =>
    [registry(), '', ...signedObjects.map(objectSection).flatMap((s) => [s, ''])]
      .join('\n')
      .trimEnd(),
  'status words': statusWords,
};

/** Replaces every generated section of `doc`; throws if a section's markers are missing. */
export function withGeneratedSections(doc: string): string {
  let out = doc;
  for (const [name, generate] of Object.entries(sections)) {
    const start = out.indexOf(begin(name));
    const end = out.indexOf(END, start);
    if (start < 0 || end < 0)
      throw new Error(`docs/protocol.md lacks the markers of section "${name}"`);
    out = `${out.slice(0, start)}${begin(name)}\n\n${generate()}\n\n${out.slice(end)}`;
  }
  return out;
}
