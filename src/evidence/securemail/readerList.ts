import type { Reader } from '../types.js';
import { appLogReader } from './appLog.js';
import { apnsEventsReader } from './apnsEvents.js';
import { appPoliciesReader } from './appPolicies.js';
import { fetchScheduleReader } from './fetchSchedule.js';

/** Readers of the securemail evidence, in a fixed order. */
export const securemailReaders: Reader[] = [appPoliciesReader, apnsEventsReader, fetchScheduleReader, appLogReader];
