import type { FactDefinition } from '../schema.js';

const d = (name: string, type: FactDefinition['type'], description: string, extra: Partial<FactDefinition> = {}): FactDefinition => ({
  name,
  type,
  description,
  domains: ['notnow'],
  ...extra,
});

/**
 * Facts of the NotNow domain. The statuses themselves are mdm.command.status
 * (mdm catalog, shared with the MDM rules); these are what the server logs add
 * and what the NotNow sequence rebuilds from them, plus what people answer.
 */
export const notnowFacts: FactDefinition[] = [
  // Read from MDM server logs.
  d('notnow.command_sent', 'time', 'The MDM server handed a command to the device (attrs: udid, channel, command_uuid, request_type, connection)', {
    multi: true,
    marksDomain: false,
  }),

  // Rebuilt from the status sequence (src/facts/derive/notnow.ts).
  d('notnow.seen', 'boolean', 'Whether any command status read from the evidence was NotNow', { marksDomain: false }),
  d(
    'notnow.command',
    'string',
    'A command the device answered NotNow, named as Apple\'s NotNow list names commands: RequestType + "Command", e.g. DeviceLockCommand (attrs: request_type, udid, channel, command_uuid, connection)',
    {
      multi: true,
    },
  ),
  d(
    'notnow.done_later',
    'string',
    'A command the device answered NotNow and later Acknowledged (same device and CommandUUID): the command and where it was acknowledged (attrs: udid, command_uuid, request_type, acknowledged_at)',
    { multi: true },
  ),
  d('notnow.channel', 'string', 'Channel of a command answered NotNow: device or user (attrs: udid, command_uuid)', { multi: true }),
  d('notnow.last_status_per_device', 'string', 'The last status an enrollment reported, in time order (attrs: udid, channel)', { multi: true }),
  d(
    'notnow.followed_on_same_connection',
    'boolean',
    'For a connection with a NotNow: whether a later status on the same connection was something other than NotNow (attrs: udid, connection, notnow_at, followed_by, followed_at)',
    {
      multi: true,
    },
  ),
  d(
    'notnow.resent_after_poll',
    'boolean',
    'For a command answered NotNow after which the device polled again: whether the server sent that command (same CommandUUID or RequestType) again (attrs: udid, request_type, command_uuid, polled_at)',
    {
      multi: true,
    },
  ),

  // What a person can tell.
  d('notnow.on_battery', 'boolean', 'The Mac was running on battery when the command got NotNow (answered)'),
  d('notnow.power_nap', 'boolean', 'The Mac was asleep in Power Nap when the command got NotNow (answered)'),
  d('notnow.keychain_locked', 'boolean', "The user's login keychain was locked when the profile command got NotNow (answered)"),
  d('notnow.login_blocked', 'boolean', 'The Mac held the user at the login window while it contacted the MDM server when the command got NotNow (answered)'),
  d('notnow.unlocked_since_boot', 'boolean', 'The device was unlocked with its passcode at least once since it last restarted (answered)'),
  d('notnow.server_resends', 'boolean', 'The MDM server sends a command answered NotNow again the next time the device polls (answered)'),
];
