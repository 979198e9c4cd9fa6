/**
 * The one rule for free text the platform stores (names, notes): what a person could
 * type, nothing that breaks storage or display. Refused, with a 400 naming the field:
 * - C0 and C1 control characters, NUL included (PostgreSQL and PGlite cannot store 0x00 in
 *   text; tabs and newlines have no place in a name or a one-line note either);
 * - unpaired UTF-16 surrogates (not Unicode text: they cannot be encoded as UTF-8);
 * - bidi embedding, override and isolate characters (U+202A–U+202E, U+2066–U+2069), which
 *   make a name display as something other than what it is.
 */
import { z } from 'zod';

// Without the u flag a regex sees UTF-16 code units, so an unpaired surrogate is findable.
const REFUSED =
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const TEXT_REFUSAL =
  'must not contain control characters, unpaired surrogates or bidi override characters';

/** Whether `value` passes the stored-text rule. */
export const isStorableText = (value: string): boolean => !REFUSED.test(value);

/** Stored free text: trimmed, `min`..`max` characters, the rule above. */
export function storedText(max: number, min = 1) {
  return z.string().trim().min(min).max(max).refine(isStorableText, { message: TEXT_REFUSAL });
}
