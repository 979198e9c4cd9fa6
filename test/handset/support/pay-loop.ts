/**
 * Child process for the kill -9 test: opens the phone in the given folder and pays in a
 * loop through the applet, printing each signed record (hex) on its own line once PAY has
 * answered — i.e. once a terminal would hold it. The parent SIGKILLs it at a random
 * moment, most likely in the middle of a PAY (sign, seal, write, fsync, rename).
 *
 *   node --import tsx pay-loop.ts <stateDir> <imei> <imsi> <clockStart>
 */
import { writeSync } from 'node:fs';
import { createPhone, InProcessField, SimulatedClock } from '../../../handset';
import {
  payCommand,
  presentTerminalCertificateCommand,
  selectCommand,
  SW,
} from '../../../protocol';
import { TestTerminal } from './terminal';

const [stateDir, imei, imsi, clockStart] = process.argv.slice(2);
if (!stateDir || !imei || !imsi || !clockStart) {
  throw new Error('usage: pay-loop <stateDir> <imei> <imsi> <clockStart>');
}

const clock = new SimulatedClock(Number(clockStart));
const phone = createPhone({ stateDir, imei, imsi, clock });
const terminal = new TestTerminal(new InProcessField(), clock);
phone.present();
phone.processApdu(selectCommand());
if (terminal.certificate === undefined) throw new Error('the test terminal has a certificate');
phone.processApdu(presentTerminalCertificateCommand(terminal.certificate.encoded));
writeSync(1, 'ready\n');

for (;;) {
  const response = phone.processApdu(payCommand(terminal.request(1).encoded));
  const sw =
    ((response[response.length - 2] as number) << 8) | (response[response.length - 1] as number);
  if (sw !== SW.ok) {
    writeSync(1, `refused ${sw.toString(16)}\n`);
    process.exit(2);
  }
  // Synchronous: the line is out before the next PAY begins.
  writeSync(1, `${Buffer.from(response.subarray(0, -2)).toString('hex')}\n`);
}
