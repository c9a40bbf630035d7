/** Kill the process in the middle of a large import: the embedded database afterwards holds all of it or none. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/store.ts';

it('an import killed mid-transaction leaves no household behind', async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'mingbai-crash-')), 'db');
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-import.ts'), dataDir, '1500'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // Let the transaction write for a while, then kill without warning.
      if (output.includes('importing')) setTimeout(() => child.kill('SIGKILL'), 1500);
    });
    child.on('exit', () => resolve());
  });
  expect(output).toContain('importing');
  expect(output).not.toContain('done');
  const db = await openDatabase({ dataDir });
  const [row] = await db.query<{ n: number }>('SELECT count(*) AS n FROM households');
  const [members] = await db.query<{ n: number }>('SELECT count(*) AS n FROM members');
  await db.close();
  expect([Number(row?.n), Number(members?.n)]).toEqual([0, 0]);
}, 60_000);
