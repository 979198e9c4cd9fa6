/**
 * Cards that answer from a script, for the checkout paths no honest phone takes: a card
 * that is not a wallet, one that refuses the terminal, one whose reader fails. Each tap is
 * pushed by the test; `waitForCard` hands them out in order and honours the abort signal.
 */
import type { ResponseApdu } from '../../../protocol';
import type { CardSource } from '../../../main/terminal/checkout';
import type { CardInField } from '../../../main/terminal/reader/reader';

export type Script = (command: Uint8Array) => ResponseApdu | Error;

export function scriptedCard(
  select: ResponseApdu,
  script: Script,
  readerName = 'Script',
): CardInField {
  return {
    readerName,
    select,
    gone: false,
    exchange(command) {
      const answer = script(command);
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
}

export class ScriptedCards implements CardSource {
  private readonly queue: CardInField[] = [];
  private wake: (() => void) | undefined;
  waiting = 0;

  push(card: CardInField): void {
    this.queue.push(card);
    this.wake?.();
  }

  async waitForCard(_readerName: string | undefined, signal: AbortSignal): Promise<CardInField> {
    for (;;) {
      signal.throwIfAborted();
      const card = this.queue.shift();
      if (card) return card;
      this.waiting++;
      await new Promise<void>((resolve) => {
        const done = () => {
          this.wake = undefined;
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.wake = done;
        signal.addEventListener('abort', done);
      });
      this.waiting--;
    }
  }
}
