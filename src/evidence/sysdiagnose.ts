import type { Fact, Source } from '../facts/schema.js';

/**
 * What a sysdiagnose's folder (or archive) name says about the device:
 * `sysdiagnose_2024.03.01_10-22-33-0800_iPhone-OS_iPhone_21E236`.
 * The time is the device's local time with its UTC offset; the OS part has
 * been seen as "iPhone-OS", "iPhone_OS" (iOS 12), "macOS"; names passed through
 * mail or chat lose the dots of the date, so the separators are optional.
 */
export interface SysdiagnoseName {
  /** ISO 8601 UTC, only when the name carries a UTC offset. */
  at?: string;
  platform?: string;
  osBuild?: string;
  /** Only a real model identifier (iPhone14,2); the name usually holds just the device class. */
  model?: string;
  deviceClass?: string;
}

const NAME = /^sysdiagnose_(\d{4})[.-]?(\d{2})[.-]?(\d{2})_(\d{2})[-.:]?(\d{2})[-.:]?(\d{2})([+-]\d{4})?(?:_(.*))?$/;
const BUILD = /^\d{1,2}[A-Z]\d{1,5}[a-z]?$/;
const MODEL_ID = /^[A-Za-z]+\d+,\d+$/;

export function parseSysdiagnoseName(raw: string): SysdiagnoseName | undefined {
  const name = raw
    .replace(/\/+$/, '')
    .replace(/\.(tar\.gz|tgz|tar|targ|gz|zip)$/i, '')
    .replace(/\.(tar|targ)$/i, '');
  const m = NAME.exec(name);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, tz, rest] = m;
  const out: SysdiagnoseName = {};
  if (tz && validDate(+y!, +mo!, +d!, +h!, +mi!, +s!)) {
    const sign = tz[0] === '-' ? -1 : 1;
    const offsetMin = sign * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(3, 5)));
    const local = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!);
    out.at = new Date(local - offsetMin * 60_000).toISOString().replace('.000Z', 'Z');
  }
  const tokens = (rest ?? '').split('_').filter(Boolean);
  const b = findLast(tokens, (t) => BUILD.test(t));
  if (b >= 0) {
    out.osBuild = tokens[b]!;
    const os = tokens.slice(0, Math.max(0, b - 1)).join('_');
    const device = b >= 1 ? tokens[b - 1]! : '';
    if (device) {
      out.deviceClass = device.replace(/-/g, ' ');
      if (MODEL_ID.test(device)) out.model = device;
    }
    const platform = platformOf(os, device);
    if (platform) out.platform = platform;
  } else {
    const platform = platformOf(tokens.join('_'), '');
    if (platform) out.platform = platform;
  }
  return out;
}

function platformOf(os: string, device: string): string | undefined {
  const o = os.toLowerCase();
  const dev = device.toLowerCase();
  if (/iphone|^ios|ipados/.test(o)) return dev.startsWith('ipad') ? 'ipados' : 'ios';
  if (/mac/.test(o)) return 'macos';
  if (/watch/.test(o)) return 'watchos';
  if (/tv/.test(o)) return 'tvos';
  if (/vision|xros|reality/.test(o)) return 'visionos';
  if (dev.startsWith('ipad')) return 'ipados';
  if (dev.startsWith('iphone') || dev.startsWith('ipod')) return 'ios';
  if (dev.startsWith('mac')) return 'macos';
  return undefined;
}

function validDate(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  return y >= 2000 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 60;
}

function findLast<T>(xs: T[], f: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (f(xs[i]!)) return i;
  return -1;
}

/** The device facts a sysdiagnose name holds, each sourced to the folder (or archive) it came from. */
export function sysdiagnoseFacts(name: string, source: Source): Fact[] {
  const n = parseSysdiagnoseName(name);
  if (!n) return [];
  const attrs = { from: 'sysdiagnose name' };
  const facts: Fact[] = [];
  if (n.at) facts.push({ name: 'device.sysdiagnose_at', value: n.at, source, at: n.at, attrs });
  if (n.platform) facts.push({ name: 'device.platform', value: n.platform, source, attrs: n.deviceClass ? { ...attrs, device_class: n.deviceClass } : attrs });
  if (n.osBuild) facts.push({ name: 'device.os_build', value: n.osBuild, source, attrs });
  if (n.model) facts.push({ name: 'device.model', value: n.model, source, attrs });
  return facts;
}

const IN_SYSDIAGNOSE = /(^|\/)sysdiagnose_[^/]*\//;

/**
 * Whether an archive member sits inside a device's sysdiagnose folder. A
 * sysdiagnose holds device evidence only: provider and MDM-server logs,
 * APNs answers and certificates are never in it, so their readers skip it.
 */
export function isInSysdiagnose(item: { member?: string }): boolean {
  return !!item.member && IN_SYSDIAGNOSE.test(item.member);
}
