/**
 * The demo's journal notes (preload/contract/views.ts DemoNote): what an action did that no
 * phone's state shows, such as an activation's details, an unlock the platform refused, or a
 * step at the second terminal. Kept in memory, a short window: the panel adds each note to
 * its journal once, by id, when the view reaches it.
 */
import type { DemoNote, DemoNoteKey } from '../../preload/contract';

const KEPT = 20;

export type Note = (
  key: DemoNoteKey,
  phone: string,
  values?: Readonly<Record<string, string | number>>,
) => void;

export class DemoNotes {
  private readonly notes: DemoNote[] = [];
  private nextId = 1;

  readonly add: Note = (key, phone, values = {}) => {
    this.notes.push({ id: this.nextId++, key, phone, values });
    if (this.notes.length > KEPT) this.notes.splice(0, this.notes.length - KEPT);
  };

  list(): readonly DemoNote[] {
    return [...this.notes];
  }
}
