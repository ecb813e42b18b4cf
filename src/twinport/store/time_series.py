"""SiteWise time series (data streams): a table and the SQL that reads and writes it.

A row is a time series: associated (`asset_id`, `property_id` set) or disassociated (only an
alias). The associated rows mirror the aliases in the asset rows' property settings, kept so
by triggers on `sitewise_assets`: every path that writes those settings (the API, bulk imports,
a model update that drops properties, deleting an asset) keeps them without having to know.
Setting a property's alias to that of a disassociated time series takes that row over (its
creation date and `seq` stay). A disassociated row also keeps its data type; an associated
one's is its property's, in the asset's model (`model_id`, kept in the row).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from twinport.scope import Scope
from twinport.store.db import Connection


def _add_associated(a: str, source: str, alias: str, with_model: bool) -> str:
    """The INSERT ... SELECT of the associated time series of asset row `a`'s property settings
    `p`, read from `source`; `alias` is a setting's alias in the dialect's JSON. `with_model`:
    the row keeps the asset's model too (from migration 6 on)."""
    column, value = (", model_id", f", {a}.model_id") if with_model else ("", "")
    return f"""
INSERT INTO sitewise_time_series
    (account, region, id, alias, asset_id, property_id, created, updated{column})
SELECT {a}.account, {a}.region, {a}.id || '_' || p.key, {alias}, {a}.id, p.key,
    {a}.updated, {a}.updated{value}
FROM {source} WHERE {alias} IS NOT NULL
"""


def _take_over(with_model: bool) -> str:
    """Where the alias is already taken: a disassociated time series is taken over; one of
    another property is left alone (the asset write paths refuse that before writing)."""
    model = ", model_id = excluded.model_id" if with_model else ""
    return f"""
ON CONFLICT (account, region, alias) DO UPDATE SET id = excluded.id,
    asset_id = excluded.asset_id, property_id = excluded.property_id, data_type = NULL,
    data_type_spec = NULL, updated = excluded.updated{model}
WHERE sitewise_time_series.asset_id IS NULL;
"""


SCHEMA = """
CREATE TABLE IF NOT EXISTS sitewise_time_series (
    seq INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    id TEXT NOT NULL,
    alias TEXT NOT NULL,
    asset_id TEXT,
    property_id TEXT,
    data_type TEXT,
    data_type_spec TEXT,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS sitewise_time_series_alias
    ON sitewise_time_series (account, region, alias);
CREATE INDEX IF NOT EXISTS sitewise_time_series_property
    ON sitewise_time_series (account, region, asset_id, property_id);
-- ListTimeSeries pages in creation order: without it, each page sorted the account's series.
CREATE INDEX IF NOT EXISTS sitewise_time_series_seq
    ON sitewise_time_series (account, region, seq);
"""

_SQLITE_ALIAS = "json_extract(p.value, '$.alias')"


def _sqlite_triggers(with_model: bool) -> str:
    add = _add_associated("NEW", "json_each(NEW.properties) p", _SQLITE_ALIAS, with_model)
    add += _take_over(with_model)
    return f"""
CREATE TRIGGER IF NOT EXISTS sitewise_time_series_asset_insert
AFTER INSERT ON sitewise_assets BEGIN {add} END;

CREATE TRIGGER IF NOT EXISTS sitewise_time_series_asset_update
AFTER UPDATE OF properties ON sitewise_assets BEGIN
DELETE FROM sitewise_time_series
WHERE account = NEW.account AND region = NEW.region AND asset_id = NEW.id
    AND NOT EXISTS (SELECT 1 FROM json_each(NEW.properties) p
        WHERE p.key = sitewise_time_series.property_id
        AND json_extract(p.value, '$.alias') = sitewise_time_series.alias);
{add}
END;

CREATE TRIGGER IF NOT EXISTS sitewise_time_series_asset_delete
AFTER DELETE ON sitewise_assets BEGIN
DELETE FROM sitewise_time_series
WHERE account = OLD.account AND region = OLD.region AND asset_id = OLD.id;
END;
"""


SQLITE_SCHEMA = (
    _sqlite_triggers(with_model=False)
    # Aliases set before this table existed (a data directory of an earlier twinport).
    + _add_associated("a", "sitewise_assets a, json_each(a.properties) p", _SQLITE_ALIAS, False)
    + " ON CONFLICT DO NOTHING;"
)


def _postgresql_function(with_model: bool) -> str:
    """The triggers' function in PL/pgSQL. `json_each` (not `jsonb_each`) reads the
    properties in their written order, as SQLite's does: the series of one asset are numbered
    alike on both."""
    add = _add_associated(
        "NEW", "json_each(NEW.properties::json) p", "p.value ->> 'alias'", with_model
    )
    return f"""
CREATE OR REPLACE FUNCTION sitewise_time_series_of_asset() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM sitewise_time_series
        WHERE account = OLD.account AND region = OLD.region AND asset_id = OLD.id;
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM sitewise_time_series t
        WHERE t.account = NEW.account AND t.region = NEW.region AND t.asset_id = NEW.id
            AND NOT EXISTS (SELECT 1 FROM json_each(NEW.properties::json) p
                WHERE p.key = t.property_id AND p.value ->> 'alias' = t.alias);
    END IF;
    {add} {_take_over(with_model)}
    RETURN NEW;
END $$;
"""


POSTGRESQL_SCHEMA = (
    _postgresql_function(with_model=False)
    + """
CREATE OR REPLACE TRIGGER sitewise_time_series_asset_insert
AFTER INSERT ON sitewise_assets FOR EACH ROW EXECUTE FUNCTION sitewise_time_series_of_asset();
CREATE OR REPLACE TRIGGER sitewise_time_series_asset_update
AFTER UPDATE OF properties ON sitewise_assets
FOR EACH ROW EXECUTE FUNCTION sitewise_time_series_of_asset();
CREATE OR REPLACE TRIGGER sitewise_time_series_asset_delete
AFTER DELETE ON sitewise_assets FOR EACH ROW EXECUTE FUNCTION sitewise_time_series_of_asset();
"""
)

# Migration 6: an associated time series keeps its asset's model beside it (an asset never
# changes model), so that a page of time series reads one table: with the join that read the
# model from each series' asset, the page's query took about 1.7 times as long.
MODEL_COLUMN = "ALTER TABLE sitewise_time_series ADD COLUMN model_id TEXT;"
_MODEL_BACKFILL = """
UPDATE sitewise_time_series SET model_id = (SELECT a.model_id FROM sitewise_assets a
    WHERE a.account = sitewise_time_series.account AND a.region = sitewise_time_series.region
    AND a.id = sitewise_time_series.asset_id)
WHERE asset_id IS NOT NULL;
"""
MODEL_MIGRATION = {
    "sqlite": _MODEL_BACKFILL
    + "DROP TRIGGER sitewise_time_series_asset_insert;"
    + " DROP TRIGGER sitewise_time_series_asset_update;"
    + _sqlite_triggers(with_model=True),
    "postgresql": _MODEL_BACKFILL + _postgresql_function(with_model=True),
}


@dataclass
class TimeSeriesRecord:
    id: str
    alias: str
    asset_id: str | None
    property_id: str | None
    data_type: str | None
    data_type_spec: str | None
    created: float
    updated: float
    seq: int | None = None
    model_id: str | None = None  # of the asset, for an associated time series


_SELECT = (
    "SELECT t.id, t.alias, t.asset_id, t.property_id, t.data_type, t.data_type_spec,"
    " t.created, t.updated, t.seq, t.model_id FROM sitewise_time_series t"
    " WHERE t.account = ? AND t.region = ?"
)


def by_alias(conn: Connection, scope: Scope, alias: str) -> TimeSeriesRecord | None:
    return _one(conn, f"{_SELECT} AND t.alias = ?", (scope.account, scope.region, alias))


def by_property(
    conn: Connection, scope: Scope, asset_id: str, property_id: str
) -> TimeSeriesRecord | None:
    return _one(
        conn,
        f"{_SELECT} AND t.asset_id = ? AND t.property_id = ?",
        (scope.account, scope.region, asset_id, property_id),
    )


def holders(conn: Connection, scope: Scope, aliases: Iterable[str]) -> list[TimeSeriesRecord]:
    """The time series whose alias is one of `aliases`, in no order."""
    wanted = list(dict.fromkeys(aliases))
    found: list[TimeSeriesRecord] = []
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        rows = conn.execute(
            f"{_SELECT} AND t.alias IN ({','.join('?' * len(chunk))})",
            (scope.account, scope.region, *chunk),
        )
        found += [TimeSeriesRecord(*row) for row in rows]
    return found


def page(
    conn: Connection,
    scope: Scope,
    *,
    asset_id: str | None,
    alias_prefix: str | None,
    associated: bool | None,
    after_seq: int,
    limit: int,
) -> list[TimeSeriesRecord]:
    """Up to `limit` time series after `after_seq` in creation order; filters AND-ed
    (`associated` None: both kinds)."""
    sql = f"{_SELECT} AND t.seq > ?"
    params: list = [scope.account, scope.region, after_seq]
    if asset_id is not None:
        sql += " AND t.asset_id = ?"
        params.append(asset_id)
    if alias_prefix is not None:
        sql += " AND substr(t.alias, 1, ?) = ?"
        params += [len(alias_prefix), alias_prefix]
    if associated is not None:
        sql += f" AND t.asset_id IS {'NOT ' if associated else ''}NULL"
    rows = conn.execute(f"{sql} ORDER BY t.seq LIMIT ?", [*params, limit])
    return [TimeSeriesRecord(*row) for row in rows]


def insert_disassociated(conn: Connection, scope: Scope, record: TimeSeriesRecord) -> None:
    """Add `record`, a time series of no asset property, and set its `seq`."""
    cursor = conn.execute(
        "INSERT INTO sitewise_time_series (account, region, id, alias, data_type,"
        " data_type_spec, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
        (
            scope.account,
            scope.region,
            record.id,
            record.alias,
            record.data_type,
            record.data_type_spec,
            record.created,
            record.updated,
        ),
    )
    record.seq = cursor.fetchone()[0]


def delete_disassociated(conn: Connection, scope: Scope, alias: str) -> None:
    conn.execute(
        "DELETE FROM sitewise_time_series"
        " WHERE account = ? AND region = ? AND alias = ? AND asset_id IS NULL",
        (scope.account, scope.region, alias),
    )


_CHUNK = 500


def _one(conn: Connection, sql: str, params: tuple) -> TimeSeriesRecord | None:
    row = conn.execute(sql, params).fetchone()
    return None if row is None else TimeSeriesRecord(*row)
