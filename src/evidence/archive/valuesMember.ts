import { MAX_VALUES_FILE_BYTES, saysNothing, valuesFromFile, ValuesFileHead } from '../paste/file.js';
import { isInSysdiagnose } from '../sysdiagnose.js';
import { itemName, type Item } from '../types.js';
import type { Scan } from './scan.js';
import { andThen, DRAIN, type ChunkSink } from './sink.js';

/**
 * A small .txt in a case folder or zip that gave no fact is read as the values
 * it may hold (the server's topic, PushMagic and token a person saved beside
 * the device's files), as the same file is when given on its own. A name like
 * "server-values.txt" draws in the server-log readers, which find nothing in
 * it: what they make of it decides, not that they wanted it. Files inside a
 * sysdiagnose are the device's own, never values a person saved.
 */
export function withValuesFallback(scan: Scan, item: Item, size: number | undefined, inner: ChunkSink | undefined): ChunkSink | undefined {
  if (!item.member || !/\.txt$/i.test(itemName(item)) || isInSysdiagnose(item)) return inner;
  if (size !== undefined && size > MAX_VALUES_FILE_BYTES) return inner;
  const head = new ValuesFileHead();
  const target = inner ?? DRAIN;
  return {
    write: (chunk) => {
      head.add(chunk);
      return target.write(chunk);
    },
    end: () => {
      const before = scan.facts.length;
      return andThen(target.end(), () => {
        const whole = head.whole();
        if (!whole || scan.facts.slice(before).some((f) => f.source.kind === 'file' && f.source.member === item.member && !saysNothing(f))) return;
        const { facts, problems } = valuesFromFile(whole, item);
        // Read as values, it is not a log without push-path lines (that would say the device's logs show nothing).
        if (facts.length)
          for (let i = scan.facts.length - 1; i >= before; i--) {
            const f = scan.facts[i]!;
            if (f.source.kind === 'file' && f.source.member === item.member && saysNothing(f)) scan.facts.splice(i, 1);
          }
        for (const f of facts) scan.facts.push(f);
        for (const p of problems) scan.problem(p.code, p.message, p.member);
      });
    },
    abort: () => target.abort(),
  };
}
