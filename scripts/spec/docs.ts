/**
 * Generates the object tables of docs/protocol.md from the schemas themselves, so the
 * document cannot drift from the code (test/protocol/vectors.test.ts checks it).
 */
import {
  F,
  FreshnessToken,
  Hotlist,
  Notification,
  PaymentRecord,
  PaymentRequest,
  SettlementBatch,
  SettlementResult,
  WalletCertificate,
  type SignedObjectType,
} from '../../protocol';
import type { Element } from '../../protocol/codec/elements';
import { tagHex } from '../../protocol/codec/tlv';

export const BEGIN = '<!-- BEGIN GENERATED: npm run vectors -->';
export const END = '<!-- END GENERATED -->';

export const signedObjects: SignedObjectType<unknown>[] = [
  WalletCertificate,
  FreshnessToken,
  PaymentRequest,
  PaymentRecord,
  Notification,
  Hotlist,
  SettlementBatch,
  SettlementResult,
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

export function generatedSection(): string {
  return [
    BEGIN,
    '',
    registry(),
    '',
    ...signedObjects.map(objectSection).flatMap((s) => [s, '']),
    END,
  ].join('\n');
}

/** Replaces the generated section of `doc`; throws if the markers are missing. */
export function withGeneratedSection(doc: string): string {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start)
    throw new Error('docs/protocol.md lacks the generated-section markers');
  return doc.slice(0, start) + generatedSection() + doc.slice(end + END.length);
}
