"""Index structures for bounded candidate search (see core.search.selectors).

Searches now ask the engine only for a bounded number of candidate documents per kind (no ranking in
the database), so the index must be able to filter by kind and by title on its own:

SQLite: the FTS5 table gets the `kind` column (a kind is one token: `.` and `_` are token
characters; the words from segment() never contain them) and keeps diacritics, like PostgreSQL's
`simple` configuration and the Python scorer; a second FTS5 table `core_search_title_fts` (kind,
title_tokens) indexes titles alone, so a word frequent in bodies costs nothing in a title lookup.
The same triggers keep both in step; both are rebuilt and merged into one segment.
PostgreSQL: `search_vector` additionally holds the lexeme `~<kind>`, and a new generated column
`title_vector` (title words + the same kind lexeme) gets its own GIN index, so "kind K, title
matches" is answered by the index instead of rechecking weights on every matching row.
"""

from django.db import migrations

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_search_fts_au",
    "DROP TRIGGER IF EXISTS core_search_fts_ad",
    "DROP TRIGGER IF EXISTS core_search_fts_ai",
    "DROP TABLE IF EXISTS core_search_fts",
    "DROP TABLE IF EXISTS core_search_title_fts",
]


def _sqlite_statements(tables: dict[str, list[str]], tokenize: str) -> list[str]:
    """External-content FTS5 tables over the document table, and the triggers that keep them in step."""
    create, insert, delete = [], [], []
    for table, columns in tables.items():
        cols = ", ".join(columns)
        create.append(
            f"""CREATE VIRTUAL TABLE {table} USING fts5(
                {cols}, content='core_search_searchdocument', content_rowid='id', tokenize="{tokenize}"
            )"""
        )
        insert.append(
            f"INSERT INTO {table}(rowid, {cols}) VALUES (new.id, {', '.join(f'new.{c}' for c in columns)});"
        )
        delete.append(
            f"INSERT INTO {table}({table}, rowid, {cols}) "
            f"VALUES ('delete', old.id, {', '.join(f'old.{c}' for c in columns)});"
        )
    on_insert, on_delete = "\n".join(insert), "\n".join(delete)
    return [
        *SQLITE_DROP,
        *create,
        f"""CREATE TRIGGER core_search_fts_ai AFTER INSERT ON core_search_searchdocument BEGIN
            {on_insert}
        END""",
        f"""CREATE TRIGGER core_search_fts_ad AFTER DELETE ON core_search_searchdocument BEGIN
            {on_delete}
        END""",
        f"""CREATE TRIGGER core_search_fts_au AFTER UPDATE ON core_search_searchdocument BEGIN
            {on_delete}
            {on_insert}
        END""",
        *(f"INSERT INTO {table}({table}) VALUES ('rebuild')" for table in tables),
        *(f"INSERT INTO {table}({table}) VALUES ('optimize')" for table in tables),
    ]


SQLITE_FORWARD = _sqlite_statements(
    {
        "core_search_fts": ["kind", "title_tokens", "body_tokens"],
        "core_search_title_fts": ["kind", "title_tokens"],
    },
    "unicode61 remove_diacritics 0 tokenchars '._'",
)
SQLITE_BACKWARD = _sqlite_statements({"core_search_fts": ["title_tokens", "body_tokens"]}, "unicode61")

POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS core_search_vector_gin",
    "ALTER TABLE core_search_searchdocument DROP COLUMN IF EXISTS search_vector",
    """ALTER TABLE core_search_searchdocument ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple'::regconfig, title_tokens), 'A')
            || setweight(to_tsvector('simple'::regconfig, body_tokens), 'B')
            || array_to_tsvector(ARRAY['~' || kind::text])
        ) STORED""",
    """ALTER TABLE core_search_searchdocument ADD COLUMN title_vector tsvector
        GENERATED ALWAYS AS (
            to_tsvector('simple'::regconfig, title_tokens) || array_to_tsvector(ARRAY['~' || kind::text])
        ) STORED""",
    "CREATE INDEX core_search_vector_gin ON core_search_searchdocument USING GIN (search_vector)",
    "CREATE INDEX core_search_title_vector_gin ON core_search_searchdocument USING GIN (title_vector)",
    "ANALYZE core_search_searchdocument",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS core_search_title_vector_gin",
    "ALTER TABLE core_search_searchdocument DROP COLUMN IF EXISTS title_vector",
    "DROP INDEX IF EXISTS core_search_vector_gin",
    "ALTER TABLE core_search_searchdocument DROP COLUMN IF EXISTS search_vector",
    """ALTER TABLE core_search_searchdocument ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple'::regconfig, title_tokens), 'A')
            || setweight(to_tsvector('simple'::regconfig, body_tokens), 'B')
        ) STORED""",
    "CREATE INDEX core_search_vector_gin ON core_search_searchdocument USING GIN (search_vector)",
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
    dependencies = [("core_search", "0002_fulltext")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
