/**
 * What a JSON body must be beyond JSON.parse's syntax, each with one answer (400
 * `malformed_json`): UTF-8 without a byte order mark, no object that repeats a key (two
 * parsers would disagree on which one counts), and nesting no deeper than MAX_JSON_DEPTH
 * (no request of the platform nests more than a few levels).
 */
export const MAX_JSON_DEPTH = 32;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The body as text, or why it is not UTF-8 JSON text. */
export function decodeJsonText(bytes: Uint8Array): { text: string } | { refusal: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { refusal: 'the JSON body starts with a byte order mark' };
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { refusal: 'the JSON body is not UTF-8' };
  }
}

/**
 * Why valid JSON `text` is refused (a repeated key, too deep), or undefined. One pass, no
 * recursion: a body nested 400,000 deep is answered, not a stack overflow.
 */
export function jsonStructureRefusal(text: string): string | undefined {
  // Per open container: the keys seen so far (an object) or null (an array).
  const open: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        const keys = open.at(-1);
        if (keys?.has(key)) return 'the JSON body repeats a key in one object';
        keys?.add(key);
        expectKey = false;
      }
      i = end;
    } else if (c === '{' || c === '[') {
      open.push(c === '{' ? new Set() : null);
      if (open.length > MAX_JSON_DEPTH)
        return `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`;
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      open.pop();
    } else if (c === ',') {
      expectKey = open.at(-1) instanceof Set;
    }
  }
  return undefined;
}
