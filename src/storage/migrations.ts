/** @module The one SQL schema of the registry, as numbered migrations applied in order at start-up on either database. */
import { ROLES } from '../auth/roles.ts';
import type { SqlDatabase } from './sql.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const roleList = ROLES.map((r) => `'${r}'`).join(', ');

/** Append only: never edit a migration that has shipped; add the next version instead. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'registry, users, screenings, audit',
    sql: `
CREATE TABLE areas (
  id serial PRIMARY KEY,
  level text NOT NULL CHECK (level IN ('区县', '镇街', '村社')),
  county text NOT NULL,
  town text NOT NULL DEFAULT '',
  village text NOT NULL DEFAULT '',
  code text UNIQUE CHECK (code ~ '^[0-9]{12}$'),
  UNIQUE (county, town, village)
);

CREATE TABLE users (
  id serial PRIMARY KEY,
  username text NOT NULL UNIQUE,
  display_name text NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN (${roleList})),
  scope_county text,
  scope_town text,
  scope_village text,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id int NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

CREATE TABLE households (
  id text PRIMARY KEY,
  county text NOT NULL,
  town text NOT NULL DEFAULT '',
  village text NOT NULL DEFAULT '',
  area_code text,
  head_name text NOT NULL,
  size int NOT NULL,
  data jsonb NOT NULL,
  version int NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  latest_screening_id int
);
CREATE INDEX households_area ON households (county, town, village, id) WHERE deleted_at IS NULL;

-- One row per member of a live household: 身份证号 unique across the registry, masked copy for lists.
CREATE TABLE members (
  household_id text NOT NULL REFERENCES households(id),
  idx int NOT NULL,
  name text NOT NULL,
  id_number text,
  id_masked text,
  birth_date date,
  sex text,
  relation text NOT NULL,
  PRIMARY KEY (household_id, idx)
);
CREATE UNIQUE INDEX members_id_number ON members (id_number);
CREATE INDEX members_name ON members (name);

CREATE TABLE household_categories (
  household_id text NOT NULL REFERENCES households(id),
  idx int NOT NULL,
  type text NOT NULL,
  class text,
  from_date date NOT NULL,
  to_date date,
  recorded_by text,
  PRIMARY KEY (household_id, idx)
);
CREATE INDEX household_categories_type ON household_categories (type, household_id);

-- Every version of every household, with who changed what.
CREATE TABLE household_versions (
  household_id text NOT NULL REFERENCES households(id),
  version int NOT NULL,
  action text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
  at timestamptz NOT NULL DEFAULT now(),
  user_id int REFERENCES users(id),
  username text,
  changes jsonb NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (household_id, version)
);

CREATE TABLE screenings (
  id serial PRIMARY KEY,
  household_id text NOT NULL REFERENCES households(id),
  household_version int NOT NULL,
  date date NOT NULL,
  packs jsonb NOT NULL,
  result jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  user_id int REFERENCES users(id)
);
CREATE INDEX screenings_household ON screenings (household_id, id);

CREATE TABLE screening_decisions (
  screening_id int NOT NULL REFERENCES screenings(id),
  household_id text NOT NULL,
  policy text NOT NULL,
  member_index int,
  status text NOT NULL,
  fen bigint,
  unit text
);
CREATE INDEX screening_decisions_policy ON screening_decisions (policy, status, screening_id);
CREATE INDEX screening_decisions_screening ON screening_decisions (screening_id);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  user_id int,
  username text,
  action text NOT NULL,
  target text,
  detail jsonb NOT NULL DEFAULT '{}'
);

-- The audit log is append only, whatever the application does.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
`,
  },
  {
    version: 2,
    name: 'login throttling, pack versions seen at start-up',
    sql: `
-- Failed logins per username and client address, for the 5-in-15-minutes limit; cleared on success.
CREATE TABLE login_failures (
  username text NOT NULL,
  ip text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_key ON login_failures (username, ip, at);

-- The pack versions the server ran with last, to tell at start-up how many screenings a pack change made stale.
CREATE TABLE pack_versions_seen (
  id text PRIMARY KEY,
  version text NOT NULL,
  seen_at timestamptz NOT NULL DEFAULT now()
);

-- The audit log is read newest first, filtered by what an entry is about.
CREATE INDEX audit_log_target ON audit_log (target);
`,
  },
];

/** Applies the migrations not yet applied, each in its own transaction; safe when two servers start at once. */
export async function migrate(db: SqlDatabase, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(7294001)');
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (done.length > 0) return;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    });
  }
  return applied;
}
