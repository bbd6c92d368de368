import { readFileSync } from 'node:fs';
import { readBuffer } from '../../src/evidence/dispatch.js';
import { mdmServerLogReader } from '../../src/evidence/notnow/serverLog.js';
import { DEFAULT_LIMITS, type ReadResult } from '../../src/evidence/types.js';
import type { Fact } from '../../src/facts/schema.js';

export const ctx = { limits: DEFAULT_LIMITS };

export const fixture = (name: string) => new URL(`../fixtures/notnow/${name}`, import.meta.url);

/** Reads text with the server-log reader alone, as a file of this name. */
export async function readServerLog(text: string | Buffer, input = 'mdm-server.log'): Promise<ReadResult> {
  return readBuffer({ input }, Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'), ctx, [mdmServerLogReader]);
}

export async function readServerLogFile(url: URL, input?: string): Promise<ReadResult> {
  return readServerLog(readFileSync(url), input ?? url.pathname.split('/').pop());
}

export function named(facts: readonly Fact[], name: string): Fact[] {
  return facts.filter((f) => f.name === name);
}

/** One NanoMDM (NanoLIB) status line, as the server writes it. */
export function statusLine(ts: string, udid: string, status: string, uuid?: string, type = 'Device'): string {
  return `ts=${ts} level=info service=nanomdm id=${udid} type=${type} status=${status}${uuid ? ` command_uuid=${uuid}` : ''} caller=service.go:215`;
}

export function handedOut(ts: string, udid: string, uuid: string, requestType: string, type = 'Device'): string {
  return `ts=${ts} level=debug service=nanomdm id=${udid} type=${type} msg=command retrieved command_uuid=${uuid} request_type=${requestType} caller=service.go:227`;
}

export function nothingLeft(ts: string, udid: string, type = 'Device'): string {
  return `ts=${ts} level=debug service=nanomdm id=${udid} type=${type} msg=no command retrieved caller=service.go:233`;
}
