/**
 * The rig's terminal (T-0001-01, terminalKey) as the checkout sees it: its certificate,
 * the trust keys and parameters of GET /v1/terminals/{id} and the hotlist of GET
 * /v1/hotlist, both terminal-signed requests to the real platform. `refresh()` fetches
 * them again (after a lost report, a time jump). The real sync service is another's.
 */
import { Hotlist, signRequest, type Signed } from '../../../protocol';
import type { TerminalParameters, TerminalSetup, TrustKey } from '../../../main/terminal/model';
import { terminalKey } from '../../handset/support/terminal';
import { MERCHANT_ID, TERMINAL_ID, type Rig } from '../../scenarios/support/rig';
import { MemoryHotlist } from './world';

interface TerminalView {
  parameters: TerminalParameters;
  trustKeys: { keyId: string; publicKey: string; retiredAt: number | null }[];
}

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

async function signedGet(rig: Rig, target: string): Promise<Response> {
  const headers = signRequest({
    kind: 'terminal',
    callerId: TERMINAL_ID,
    key: terminalKey,
    method: 'GET',
    target,
    time: rig.clock.now(),
  });
  const response = await fetch(new URL(target, rig.platform.url), { headers });
  if (response.status !== 200) throw new Error(`GET ${target}: ${response.status}`);
  return response;
}

export class PlatformSetup {
  current: TerminalSetup | undefined;
  /** Overrides applied to the platform's parameters (a tighter terminal, say). */
  parameterOverrides: Partial<TerminalParameters> = {};

  constructor(private readonly rig: Rig) {}

  readonly get = (): TerminalSetup | { notReady: string } =>
    this.current ?? { notReady: 'not synced yet' };

  async refresh(): Promise<TerminalSetup> {
    const view = (await (
      await signedGet(this.rig, `/v1/terminals/${TERMINAL_ID}`)
    ).json()) as TerminalView;
    const trustKeys: TrustKey[] = view.trustKeys.map((key) => ({
      keyId: bytes(key.keyId),
      publicKey: bytes(key.publicKey),
      retiredAt: key.retiredAt,
    }));
    const raw = new Uint8Array(await (await signedGet(this.rig, '/v1/hotlist')).arrayBuffer());
    const hotlist = Hotlist.decode(raw);
    verifyHotlist(hotlist, trustKeys);
    this.current = {
      identity: {
        merchantId: MERCHANT_ID,
        terminalId: TERMINAL_ID,
        certificate: this.rig.terminalCertificate,
        signer: terminalKey,
      },
      parameters: { ...view.parameters, ...this.parameterOverrides },
      trustKeys,
      hotlist: new MemoryHotlist(
        hotlist.value.hotlistVersion,
        hotlist.value.issuedAt,
        hotlist.value.entries,
        [...hotlist.value.notices]
          .sort((a, b) => a.value.sequence - b.value.sequence)
          .map((notice) => ({ walletId: notice.value.walletId, encoded: notice.encoded })),
      ),
    };
    return this.current;
  }
}

function verifyHotlist(hotlist: Signed<Hotlist>, trustKeys: readonly TrustKey[]): void {
  const key = trustKeys.find((k) => Buffer.from(k.keyId).equals(hotlist.value.issuerKeyId));
  if (key === undefined) throw new Error('the hotlist names an issuer key not trusted');
  Hotlist.verify(hotlist, key.publicKey);
}
