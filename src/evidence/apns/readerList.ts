import type { Reader } from '../types.js';
import { derCertificateReader, pemCertificateReader } from './certificates.js';
import { p12Reader } from './p12.js';
import { entitlementsReader } from './entitlements.js';
import { payloadReader } from './payload.js';
import { providerLogReader } from './provider.js';
import { appRegistrationReader } from './appRegistration.js';
import { oneSignalExportReader } from './oneSignalExport.js';
import { relayAnswerReader } from './relayAnswers.js';
import { provisioningProfileReader } from './provisioning.js';
import { pushConsoleReader } from './pushConsole.js';
import { apnsResponseReader } from './responses.js';

/** Readers of the apns evidence, in a fixed order. */
export const apnsReaders: Reader[] = [
  provisioningProfileReader,
  derCertificateReader,
  p12Reader,
  pemCertificateReader,
  entitlementsReader,
  apnsResponseReader,
  providerLogReader,
  relayAnswerReader,
  oneSignalExportReader,
  appRegistrationReader,
  pushConsoleReader,
  payloadReader,
];
