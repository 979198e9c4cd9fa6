/**
 * Certificates are few (one per wallet) but appear in every batch. A wallet's certificate is
 * remembered decoded, with its signature's verdict, next to its exact bytes: the same
 * bytes again (compared, not hashed) skip the decode and the verification. Whether the
 * issuer key still verifies is asked of IssuerKeys every batch (checks.ts).
 *
 * One cache per platform app, held by its context (`app.platform.certificates`), so two
 * platforms in one process share nothing. A leaf: the context's types import it.
 */
import { WalletCertificate } from '../../protocol';

export interface KnownCertificate {
  readonly bytes: Buffer;
  readonly signed: ReturnType<typeof WalletCertificate.decode>;
  verified: boolean | undefined;
}

const CERTIFICATE_CACHE_LIMIT = 100_000;

export class CertificateCache {
  readonly #known = new Map<string, KnownCertificate>();

  /** The wallet's certificate decoded (throws ProtocolError if it does not decode). */
  known(walletHex: string, bytes: Uint8Array): KnownCertificate {
    const known = this.#known.get(walletHex);
    if (known?.bytes.equals(bytes)) return known;
    const fresh = {
      bytes: Buffer.from(bytes),
      signed: WalletCertificate.decode(bytes),
      verified: undefined,
    };
    if (this.#known.size >= CERTIFICATE_CACHE_LIMIT) this.#known.clear();
    this.#known.set(walletHex, fresh);
    return fresh;
  }
}
