// The terminal key sealed with Electron's safeStorage (the system keychain: Keychain, DPAPI,
// libsecret / kwallet). On Linux without a keyring safeStorage falls back to a hard-coded
// password ("basic_text"), which protects nothing: there the 0600 file sealer is used instead.
import { safeStorage } from 'electron';
import { fileKeySealer, type KeySealer } from '../terminal/enrollment';

export function safeStorageSealer(): KeySealer {
  const weak =
    process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  if (!safeStorage.isEncryptionAvailable() || weak) return fileKeySealer;
  return {
    kind: 'safe-storage',
    seal: (bytes) => safeStorage.encryptString(Buffer.from(bytes).toString('base64')),
    open: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  };
}
