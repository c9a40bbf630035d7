/** @module `npm start` for now: screens the demo households in examples/ at their demo dates and prints the results. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { screenHousehold } from '../core/evaluator/evaluate.ts';
import { loadPacks, readYaml } from '../packs/load.ts';
import { localFactsFromYuan } from '../packs/local.ts';
import { readHouseholdFile } from './read-input.ts';
import { renderScreening } from './render/screening-text.ts';

export const EXAMPLES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../examples');

const DemoListSchema = z.array(z.strictObject({
  file: z.string(),
  date: z.string(),
  title: z.string(),
  local: z.record(z.string(), z.number()).optional(),
}));

export function runDemo(print: (text: string) => void): void {
  const packs = loadPacks();
  const demos = DemoListSchema.parse(readYaml(join(EXAMPLES_DIR, 'demo.yaml')));
  print(`明白 · 演示：${demos.length} 户示例家庭，${packs.length} 个政策包，${packs.reduce((n, p) => n + p.policies.length, 0)} 条政策\n`);
  for (const demo of demos) {
    const household = readHouseholdFile(join(EXAMPLES_DIR, demo.file));
    const result = screenHousehold(packs, household, demo.date, { local: localFactsFromYuan(demo.local ?? {}) });
    print(`${'═'.repeat(72)}\n${demo.title}（examples/${demo.file}）\n${'═'.repeat(72)}`);
    print(renderScreening(result, household, packs));
    print('');
  }
  print('单户测算：npm run mingbai -- screen examples/<文件> --date YYYY-MM-DD [--json]');
}
