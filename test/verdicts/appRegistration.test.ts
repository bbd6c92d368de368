import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, note } from './evidence.js';

/**
 * Troubleshooting step (TN2265 "No Delegate Callbacks", "Error Delegate Callback"): what did the app's
 * registration for remote notifications return? Read from the app's own log as push SDKs print it:
 * OneSignal's verbose log (OneSignal-Flutter-SDK #890's layout), Firebase Messaging's console lines
 * (I-FCM012002). Tokens and times are made up.
 */
const TOKEN = 'bba61b947a90c1588faa83ca8b106656dea2537f7b55e1acb719dc7c806c57ff';

describe("the app's registration, from its own log", () => {
  it('a token from Apple: the app is entitled and the device reached APNs, so neither is the cause', async () => {
    const r = await diagnose(
      file(
        'xcode-console.txt',
        ['VERBOSE: oneSignalDidRegisterForRemoteNotifications:deviceToken:', `INFO: Device Registered with Apple: ${TOKEN}`, ''].join('\n'),
      ),
    );
    expect(facts(r, 'app.registration').map((f) => [f.value, f.origin.line])).toEqual([['token', 2]]);
    expect(cause(r, 'apns.missing_entitlement')?.status).toBe('ruled_out');
    expect(cause(r, 'apns.no_connection')?.status).toBe('ruled_out');
  });

  it('Firebase Messaging repeating the registration error: an error answer, with the missing entitlement it names', async () => {
    const r = await diagnose(
      file(
        'xcode-console.txt',
        '2026-11-20 09:02:12.204000+0100 Acme[512:20931] 11.4.0 - [FirebaseMessaging][I-FCM012002] Error in application:didFailToRegisterForRemoteNotificationsWithError: no valid "aps-environment" entitlement string found for application\n',
      ),
    );
    expect(facts(r, 'app.registration').map((f) => [f.value, f.at, f.attrs?.zone])).toEqual([['error', '2026-11-20T08:02:12.204Z', '+01:00']]);
    expect(cause(r, 'apns.missing_entitlement')?.status).toBe('confirmed');
  });

  it("OneSignal's API refusing the token the app got (OneSignal-iOS-SDK #504's layout): a note to update the SDK, not an APNs 400", async () => {
    const r = await diagnose(
      file(
        'xcode-console.txt',
        [
          `INFO: Device Registered with Apple: ${TOKEN}`,
          'ERROR: Encountered error during push registration with OneSignal: Error Domain=OneSignalError Code=400 "(null)" UserInfo={returned={',
          '    errors =     (',
          '        "[\\"Identifier invalid format.\\"]"',
          '    );',
          '}}',
          '',
        ].join('\n'),
      ),
    );
    expect(facts(r, 'apns.relay_answer').map((f) => [f.value, f.attrs.relay, f.attrs.code])).toEqual([
      ['invalid_registration', 'onesignal', 'Identifier invalid format'],
    ]);
    expect(facts(r, 'apns.response')).toEqual([]);
    expect(note(r, 'apns.note.relay_registration_refused')?.text).toMatch(/update the OneSignal SDK/);
    expect(note(r, 'apns.note.relay_invalid_token')).toBeUndefined();
  });

  it('a line only naming the callback, with no token after it, says nothing', async () => {
    const r = await diagnose(
      file('notes.txt', 'implement didRegisterForRemoteNotificationsWithDeviceToken in the delegate\n'),
      '--answer',
      'q.case.domain=apns',
    );
    expect(facts(r, 'app.registration')).toEqual([]);
  });
});
