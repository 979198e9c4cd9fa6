/**
 * A demo phone also on the real PC/SC stack: where pcscd runs with vsmartcard-vpcd, the
 * phone connects to a vpcd reader slot as a virtual card (handset/transport/vpcd.ts, as
 * `handset run` does), so the terminal's pcsc driver sees it like an NFC phone on a USB
 * reader. The connection retries by itself while pcscd is away.
 */
import { VpcdCard, virtualCardOf, type Phone } from '../../handset';
import type { VpcdState } from '../../handset/transport/vpcd';
import { demoError } from './errors';

export interface VpcdAttachOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** vpcd's port for the reader slot: 35963 is "Virtual PCD 00 00", 35964 "… 00 01". */
  readonly port: number;
}

export interface VpcdAttachment {
  readonly host: string;
  readonly port: number;
  state(): VpcdState;
  /** The last connection problem (pcscd not running, reset), if any. */
  lastFault(): string | null;
  /** Takes the phone off the vpcd reader; safe twice. */
  detach(): void;
}

export function attachVpcd(
  phone: Phone,
  options: VpcdAttachOptions,
  onDetach: () => void,
): VpcdAttachment {
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 0xffff) {
    throw demoError('invalid_port', `a vpcd port is 1..65535, got ${options.port}`);
  }
  const card = new VpcdCard(virtualCardOf(phone), {
    host: options.host ?? '127.0.0.1',
    port: options.port,
  });
  let fault: string | null = null;
  card.on('fault', (error) => {
    fault = error.message;
  });
  card.insert();
  let detached = false;
  return {
    host: card.host,
    port: card.port,
    state: () => card.state,
    lastFault: () => fault,
    detach() {
      if (detached) return;
      detached = true;
      card.remove();
      onDetach();
    },
  };
}
