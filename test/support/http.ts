/**
 * Reading a node:http response whole, for the tests that talk raw HTTP instead of fetch:
 * to send a path exactly as written, or to see the moment a request body has left.
 */
import type { IncomingMessage } from 'node:http';

export interface WholeResponse {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

/** Resolves at the end of the body; rejects if the response breaks off first. */
export function readWhole(res: IncomingMessage): Promise<WholeResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () =>
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
    );
    res.on('error', reject);
  });
}
