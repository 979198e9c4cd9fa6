/** The Tapsafe wire protocol: what the terminal, the handset and the platform share. */
export * from './errors';
export { MAX_TLV_LENGTH } from './codec/tlv';
export * from './crypto/ecdsa';
export * from './crypto/binding';
export * from './crypto/seal';
export * from './crypto/password';
export * from './objects/fields';
export { ENVELOPE_TAG, DOMAIN_PREFIX, type Signed, type SignedObjectType } from './objects/signed';
export * from './objects/wallet';
export * from './objects/platform';
export * from './objects/settlement';
export * from './objects/settlement-chain';
export * from './apdu';
export * from './http/request-signing';
