/** The storage contract on the embedded database (PGlite, in memory). */
import { openDatabase } from '../../src/storage/store.ts';
import { storageContract } from './contract.ts';

storageContract('PGlite', () => openDatabase({}), (db) => db.close());
