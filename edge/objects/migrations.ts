/**
 * The tenant object's schema, as numbered steps. A step never changes once shipped; a new
 * shape is a new step. `migrate()` runs the missing ones in one transaction, so an object
 * written by an older version upgrades in place on its next request, rows included.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'documents, tokens and settings',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE tokens (
        id TEXT PRIMARY KEY,
        hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      );
      CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        mime TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        kind TEXT,
        status TEXT NOT NULL,
        error_code TEXT,
        error_message TEXT,
        width INTEGER,
        height INTEGER,
        pages INTEGER,
        title TEXT,
        author TEXT,
        creation_date TEXT,
        text TEXT,
        text_bytes INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'full-text search, thumbnails and idempotent writes',
    sql: `
      CREATE VIRTUAL TABLE documents_fts USING fts5(
        name, text, tokenize = 'unicode61 remove_diacritics 2'
      );
      INSERT INTO documents_fts (rowid, name, text)
        SELECT id, name, coalesce(text, '') FROM documents;
      ALTER TABLE documents DROP COLUMN text;
      ALTER TABLE documents ADD COLUMN text_truncated INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE documents ADD COLUMN thumbnail_bytes INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE documents ADD COLUMN fingerprint TEXT;
    `,
  },
  {
    version: 3,
    name: 'running totals kept by triggers, so quota checks do not scan every row',
    sql: `
      CREATE TABLE totals (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        documents INTEGER NOT NULL,
        failed INTEGER NOT NULL,
        text_bytes INTEGER NOT NULL,
        thumbnail_bytes INTEGER NOT NULL
      );
      INSERT INTO totals
        SELECT 1, count(*), coalesce(sum(status = 'failed'), 0), coalesce(sum(text_bytes), 0),
          coalesce(sum(thumbnail_bytes), 0)
        FROM documents;
      CREATE TRIGGER documents_insert_totals AFTER INSERT ON documents BEGIN
        UPDATE totals SET
          documents = documents + 1,
          failed = failed + (NEW.status = 'failed'),
          text_bytes = text_bytes + NEW.text_bytes,
          thumbnail_bytes = thumbnail_bytes + NEW.thumbnail_bytes;
      END;
      CREATE TRIGGER documents_delete_totals AFTER DELETE ON documents BEGIN
        UPDATE totals SET
          documents = documents - 1,
          failed = failed - (OLD.status = 'failed'),
          text_bytes = text_bytes - OLD.text_bytes,
          thumbnail_bytes = thumbnail_bytes - OLD.thumbnail_bytes;
      END;
      CREATE TRIGGER documents_update_totals
        AFTER UPDATE OF status, text_bytes, thumbnail_bytes ON documents BEGIN
        UPDATE totals SET
          failed = failed - (OLD.status = 'failed') + (NEW.status = 'failed'),
          text_bytes = text_bytes - OLD.text_bytes + NEW.text_bytes,
          thumbnail_bytes = thumbnail_bytes - OLD.thumbnail_bytes + NEW.thumbnail_bytes;
      END;
    `,
  },
]

export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version

/** Whether this object has ever been set up (read-only: it writes nothing). */
export function isInitialized(sql: SqlStorage): boolean {
  const row = sql
    .exec<{ n: number }>(
      "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
    )
    .one()
  return row.n > 0
}

/** Runs every migration newer than the stored version; returns the versions it applied. */
export function migrate(storage: DurableObjectStorage): number[] {
  const sql = storage.sql
  return storage.transactionSync(() => {
    sql.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
    )
    const current =
      sql.exec<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations').one().v ?? 0
    const applied: number[] = []
    for (const step of MIGRATIONS) {
      if (step.version <= current) continue
      sql.exec(step.sql)
      sql.exec(
        'INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)',
        step.version,
        new Date().toISOString(),
      )
      applied.push(step.version)
    }
    return applied
  })
}
