import { safeStorage } from 'electron';
import { SwarmdeckError } from '../../shared/errors';
import type { SecretCodec } from '../features/profiles/secret-store';

/** Seals secrets with the OS keychain (Keychain, DPAPI, libsecret/kwallet) through safeStorage. */
export function safeStorageCodec(): SecretCodec {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new SwarmdeckError('UNAVAILABLE', 'The operating system offers no secret storage; passwords cannot be saved');
  }
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  return {
    backend: `safeStorage (${backend})`,
    where: backend === 'basic_text' ? 'on disk, only obfuscated (no OS keyring is available)' : 'in the OS keychain',
    // On Linux without a keyring, Electron falls back to a hard-coded key: say so.
    warning:
      backend === 'basic_text'
        ? 'No OS keyring is available: passwords are only obfuscated on disk (safeStorage basic_text). Install and unlock gnome-keyring or kwallet for real encryption.'
        : undefined,
    seal: (plain) => safeStorage.encryptString(plain).toString('base64'),
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}
