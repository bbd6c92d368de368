import { describe, expect, it } from 'vitest';
import { diagnose, facts, file, goLog } from './evidence.js';

/**
 * Troubleshooting step: "did the device reach the server after the push?" A server log shared outside the
 * team often has its UDIDs masked, every device's the same way (00008110-XXXXXXXXXXXXXXXX). A poll after a
 * push is then some device's poll: nothing says it is the pushed device's. pushcheck must not say the push
 * was answered ("no fault found") on such a log.
 */

const MASKED = '00008110-XXXXXXXXXXXXXXXX';

describe('a server log whose device ids are all masked', () => {
  const log = file(
    'nanomdm-masked.log',
    `${[
      goLog('2022-11-08 16:11:20', `level=info handler=log addr=127.0.0.1 method=GET path=/v1/push/${MASKED} agent=curl/7.79.1`),
      goLog('2022-11-08 16:11:20', 'level=debug handler=push msg=push count=1 errs=0'),
      goLog('2022-11-08 16:11:22', `level=info service=nanomdm status=Idle id=${MASKED} type=Device`),
    ].join('\n')}\n`,
  );

  it('does not take a masked poll for the masked push’s answer', async () => {
    const r = await diagnose(log);
    expect(facts(r, 'server.push_answered').filter((f) => f.value === true)).toEqual([]);
    expect(r.headline).not.toMatch(/No fault found/);
  });
});
