// Runs every pack's own cases (packs/<id>/cases/*.cases.yaml) through the evaluator.
import { describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { screenHousehold } from '../../src/core/evaluator/evaluate.ts';
import { validateHousehold } from '../../src/core/model/validate.ts';
import { checkExpectation, readCaseFiles } from '../../src/packs/cases.ts';
import { loadPacks, packDirs } from '../../src/packs/load.ts';
import { localFactsFromYuan } from '../../src/packs/local.ts';

const packs = loadPacks();

for (const dir of packDirs()) {
  describe(`pack ${basename(dir)}`, () => {
    const files = readCaseFiles(dir);
    it('has its own cases', () => expect(files.length).toBeGreaterThan(0));
    for (const { file, cases } of files) {
      describe(basename(file), () => {
        for (const c of cases) {
          it(c.name, () => {
            const parsed = validateHousehold(c.household);
            if (!parsed.ok) throw new Error(`invalid case household: ${JSON.stringify(parsed.problems)}`);
            const result = screenHousehold(packs, parsed.value, c.date, { local: localFactsFromYuan(c.local ?? {}) });
            expect(c.expect.flatMap((e) => checkExpectation(result, e))).toEqual([]);
          });
        }
      });
    }
  });
}
