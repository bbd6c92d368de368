import { buildCases } from './test/render/cases.js';
import { main } from './src/cli/main.js';
const cases = buildCases();
for (const c of cases) {
  let out = '';
  const argv = ['diagnose', ...c.paths, ...(c.paste ? ['--paste', c.paste] : []), ...Object.entries(c.answers ?? {}).flatMap(([k, v]) => ['--answer', `${k}=${v}`])];
  await main(argv, { out: { write: (s: string) => (out += s) }, err: { write: (s: string) => process.stderr.write(s) }, isTTY: false });
  console.log(`======== ${c.name} (${out.split('\n').length - 1} lines, ${out.length} chars)\n${out}`);
}
