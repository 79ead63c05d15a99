"""Engine-specific full-text structures over SearchDocument.title_tokens / body_tokens.

SQLite: an external-content FTS5 table kept in sync by triggers (so bulk writes, deletes and
cascades can never leave it stale), ranked with bm25().
PostgreSQL: a stored generated tsvector ('simple' config: the text is already segmented) with the
title at weight A and the body at weight B, and a GIN index; ranked with ts_rank_cd().
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE core_search_fts USING fts5(
        title_tokens, body_tokens,
        content='core_search_searchdocument', content_rowid='id',
        tokenize='unicode61'
    )""",
    """CREATE TRIGGER core_search_fts_ai AFTER INSERT ON core_search_searchdocument BEGIN
        INSERT INTO core_search_fts(rowid, title_tokens, body_tokens)
        VALUES (new.id, new.title_tokens, new.body_tokens);
    END""",
    """CREATE TRIGGER core_search_fts_ad AFTER DELETE ON core_search_searchdocument BEGIN
        INSERT INTO core_search_fts(core_search_fts, rowid, title_tokens, body_tokens)
        VALUES ('delete', old.id, old.title_tokens, old.body_tokens);
    END""",
    """CREATE TRIGGER core_search_fts_au AFTER UPDATE ON core_search_searchdocument BEGIN
        INSERT INTO core_search_fts(core_search_fts, rowid, title_tokens, body_tokens)
        VALUES ('delete', old.id, old.title_tokens, old.body_tokens);
        INSERT INTO core_search_fts(rowid, title_tokens, body_tokens)
        VALUES (new.id, new.title_tokens, new.body_tokens);
    END""",
    # Index whatever rows already exist (none on a fresh database).
    "INSERT INTO core_search_fts(core_search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_search_fts_au",
    "DROP TRIGGER IF EXISTS core_search_fts_ad",
    "DROP TRIGGER IF EXISTS core_search_fts_ai",
    "DROP TABLE IF EXISTS core_search_fts",
]
POSTGRES_FORWARD = [
    """ALTER TABLE core_search_searchdocument ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple'::regconfig, title_tokens), 'A')
            || setweight(to_tsvector('simple'::regconfig, body_tokens), 'B')
        ) STORED""",
    "CREATE INDEX core_search_vector_gin ON core_search_searchdocument USING GIN (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS core_search_vector_gin",
    "ALTER TABLE core_search_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements_by_vendor:
            raise RuntimeError(f"core.search supports SQLite and PostgreSQL, not {vendor}")
        for statement in statements_by_vendor[vendor]:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("core_search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
