// The readers screen's method, and the reader list as the contract shapes it.
import type { ReadersView } from '../api/contract-types';
import type { Handlers } from '../api/dispatch';
import type { ReaderInfo } from './reader';

export function readersView(
  readers: readonly ReaderInfo[],
  pcsc: ReadersView['pcsc'],
): ReadersView {
  return { readers: readers.map((r) => ({ ...r, lastError: r.lastError ?? null })), pcsc };
}

export function readerHandlers(
  readers: () => readonly ReaderInfo[],
  pcsc: ReadersView['pcsc'],
): Pick<Handlers, 'readers.list'> {
  return { 'readers.list': () => readersView(readers(), pcsc) };
}
