/**
 * APDU examples for test/vectors/apdu.json: the AID, every command built from the sample
 * objects, FCIs, and the status word table, so a phone or reader implementation can be
 * checked byte for byte without running ours.
 */
import {
  AID_HEX,
  STATUS_WORDS,
  deliverCommand,
  encodeFci,
  getResponseCommand,
  payCommand,
  presentTerminalCertificateCommand,
  readCertificateCommand,
  readFreshnessCommand,
  readLogCommand,
  selectCommand,
} from '../../protocol';
import * as sample from './samples';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

export function apduVectors(envelopes: {
  request: Uint8Array;
  notification: Uint8Array;
  terminalCertificate: Uint8Array;
}) {
  return {
    aid: AID_HEX.toLowerCase(),
    commands: {
      select: hex(selectCommand()),
      readCertificate: hex(readCertificateCommand()),
      readCertificateExtended: hex(readCertificateCommand({ extended: true })),
      readFreshnessToken: hex(readFreshnessCommand()),
      presentTerminalCertificate: hex(
        presentTerminalCertificateCommand(envelopes.terminalCertificate),
      ),
      pay: hex(payCommand(envelopes.request)),
      readLog4: hex(readLogCommand(4)),
      deliver: hex(deliverCommand(envelopes.notification)),
      getResponse256: hex(getResponseCommand(256)),
    },
    fci: {
      active: hex(
        encodeFci({
          protocolVersion: 1,
          walletState: 'active',
          walletId: sample.certificate.walletId,
        }),
      ),
      notActivated: hex(encodeFci({ protocolVersion: 1, walletState: 'not_activated' })),
    },
    statusWords: Object.entries(STATUS_WORDS).map(([name, { sw, meaning }]) => ({
      name,
      sw: sw.toString(16).padStart(4, '0'),
      meaning,
    })),
  };
}
