/**
 * What any transport drives: a card that can enter and leave a reader's field and answers
 * command APDUs with response APDUs. The in-process reader below uses it, and so will the
 * vpcd virtual card (phase 2): power off / on from vpcd maps to remove / present, and each
 * APDU frame to processApdu. Kept structural, so the terminal side can hold a Card without
 * importing handset/ (the layering forbids it).
 */
export interface Card {
  /** A phone that is switched off answers nothing: transports treat it as absent. */
  readonly powered: boolean;
  /** The card entered a field (or was reset): a new session, nothing selected. */
  present(): void;
  /** The card left the field: anything half-done in the session is dropped. */
  remove(): void;
  /**
   * One command APDU → one response APDU (data + SW1 SW2). Never throws for any command
   * bytes; throws CardRemovedError only when the card cannot answer at all (switched off).
   */
  processApdu(command: Uint8Array): Uint8Array;
}
