/**
 * vsmartcard-vpcd's wire format, both directions: a 2-byte big-endian length, then that
 * many payload bytes. TCP delivers a byte stream, not these frames: one read may hold half
 * a length, or three frames and the start of a fourth, so the decoder buffers until a frame
 * is whole and never assumes one read is one frame.
 */
import { VpcdError } from './vpcd-errors';

/** A frame's payload cannot exceed what 2 length bytes can say. */
export const MAX_FRAME_PAYLOAD = 0xffff;

/** 1-byte payloads from vpcd are control messages, not APDUs. */
export const CONTROL = {
  powerOff: 0x00,
  powerOn: 0x01,
  reset: 0x02,
  getAtr: 0x04,
} as const;

export type VpcdMessage =
  | { kind: 'power-off' }
  | { kind: 'power-on' }
  | { kind: 'reset' }
  | { kind: 'get-atr' }
  | { kind: 'apdu'; command: Uint8Array };

export function encodeFrame(payload: Uint8Array): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD) {
    throw new VpcdError(
      'response_too_long',
      `${payload.length} bytes do not fit a vpcd frame (at most ${MAX_FRAME_PAYLOAD})`,
    );
  }
  // One buffer, so the length and payload leave in one write (one TCP segment when small).
  const frame = Buffer.allocUnsafe(2 + payload.length);
  frame.writeUInt16BE(payload.length, 0);
  frame.set(payload, 2);
  return frame;
}

/** Interprets one frame's payload as vpcd means it. */
export function parseMessage(payload: Uint8Array): VpcdMessage {
  if (payload.length === 0) throw new VpcdError('malformed_frame', 'empty frame');
  if (payload.length > 1) return { kind: 'apdu', command: payload };
  switch (payload[0]) {
    case CONTROL.powerOff:
      return { kind: 'power-off' };
    case CONTROL.powerOn:
      return { kind: 'power-on' };
    case CONTROL.reset:
      return { kind: 'reset' };
    case CONTROL.getAtr:
      return { kind: 'get-atr' };
    default:
      throw new VpcdError(
        'unknown_control',
        `control byte ${(payload[0] ?? 0).toString(16).padStart(2, '0')}`,
      );
  }
}

/** Reassembles frames from arbitrary stream chunks. One decoder per connection. */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Bytes received but not yet part of a whole frame. */
  get pending(): number {
    return this.buffered;
  }

  /** Adds a chunk; returns every frame payload it completed, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    if (chunk.length > 0) {
      this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
      this.buffered += chunk.length;
    }
    const frames: Uint8Array[] = [];
    if (this.buffered < 2) return frames;
    // Joined once per read, not per frame: a burst of small frames stays linear.
    let data = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    let pos = 0;
    while (data.length - pos >= 2) {
      const length = data.readUInt16BE(pos);
      if (data.length - pos - 2 < length) break;
      // A copy: the card may keep the command, and the socket reuses nothing we hand out.
      frames.push(new Uint8Array(data.subarray(pos + 2, pos + 2 + length)));
      pos += 2 + length;
    }
    data = data.subarray(pos);
    this.chunks = data.length > 0 ? [data] : [];
    this.buffered = data.length;
    return frames;
  }
}
