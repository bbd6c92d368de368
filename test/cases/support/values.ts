import { mdmTopic, sha256hex } from './formats.js';

/** The made-up identities the cases share: one MDM server, its push certificate, a few iPhones, one app. */

export const TOPIC = mdmTopic('8f1d3c2a-5b6e-4a70-9c18-2e4f6a8b0d13');
/** The topic of a certificate created anew (not renewed) at the Push Certificates Portal. */
export const NEW_TOPIC = mdmTopic('21225bc6-7d3e-4f1a-8b9c-0d1e2f3a4b5c');

export const MAGIC = 'D3A4C1B2-7E8F-4A9B-8C0D-1E2F3A4B5C6D';
export const OLD_MAGIC = '5B6C7D8E-9F0A-4B1C-8D2E-3F4A5B6C7D8E';

export const TOKEN = 'a41f09c3e87b2d65f0c1e3a5b7d9f1e3c5a7b9d1f3e5c7a9b1d3f5e7c9a1b3d5';
export const TOKEN_HASH = sha256hex(TOKEN);
/** The token the same iPhone got after it was restored from a backup. */
export const RESTORED_TOKEN = '6e2b8d4f0a1c3e5b7d9f2a4c6e8b0d1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c2e4b';
export const RESTORED_TOKEN_HASH = sha256hex(RESTORED_TOKEN);

export const UDID_A = '00008120-001C35A83E91C01E';
export const UDID_B = '00008030-000E64D11A42802E';
export const UDID_C = '00008110-0012490C2E61401E';

export const APP = 'com.acme.chat';
export const APP_TOKEN = '3c9e1a7b5d2f4e6a8c0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c';
