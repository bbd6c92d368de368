/**
 * Whose a pasted value is, from the words around it. People name the server
 * by what it is (server, DB, database, "on file", "our", MDM, the product)
 * and the device by what it is or the tool they read it with (phone, Mac,
 * sysdiagnose, plutil, MDM.plist).
 */

export type Side = 'server' | 'device' | 'unclear';

const MDM_PRODUCTS =
  'nanomdm|micromdm|fleet(?:dm)?|jamf(?: pro| school| now)?|intune|kandji|mosyle|airwatch|workspace ?one|ws1|simplemdm|hexnode|addigy|jumpcloud|miradore|manageengine|filewave|maas360|meraki|scalefusion|ivanti|mobileiron|xenmobile|zuludesk|profile manager|iru';
const SERVER_WORDS = new RegExp(
  `\\bserver(?:'s)?\\b|\\bsrv\\b|\\bdb\\b|\\bdatabase\\b|\\bon file\\b|\\bour\\b|\\bwe (?:push|send|use|have|store|stored|hold|keep)\\b|--(?:topic|magic|token)\\b|\\bprovider\\b|\\bmdm\\b|\\b(?:${MDM_PRODUCTS})\\b`,
  'i',
);
// "device token" is APNs' word for a push token and "MDM.plist" a file on the device: both are removed before the server test.
const DEVICE_WORDS =
  /\bdevice(?:'s)?\b|\b(?:i?phone|ipad|mac(?:book)?|imac|ipod)(?:'s)?\b|\bon the (?:iphone|ipad|mac)\b|\bsysdiagnose\b|\bMDM[ .](?:plist|profile|payload)\b|\bstub\b|\bplutil\b|PlistBuddy|\bLastPushTokenHash\b|\bsettings\b/i;

export function sideOf(label: string): Side {
  const l = label.replace(/_/g, ' ').replace(/\bdevice[ -]?tokens?\b|\bdevicetoken\b/gi, ' ');
  const device = DEVICE_WORDS.test(l);
  const server = SERVER_WORDS.test(l.replace(/\bMDM[ .](?:plist|profile|payload)\b/gi, ' '));
  if (server && !device) return 'server';
  if (device && !server) return 'device';
  return 'unclear';
}
