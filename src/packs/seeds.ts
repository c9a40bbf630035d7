/** @module Where the seed policy documents live: ../shared/seeds beside the repository, or MINGBAI_SEEDS. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SEEDS_DIR = process.env.MINGBAI_SEEDS ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/seeds');
