using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Tagstream.StateBench;

/// <summary>
/// The SQLite alternative measured against the delta files: one table of all totals, each batch an upsert of the changed
/// keys in one transaction, durable per commit (WAL, synchronous=FULL), keys bound as UTF-8 spans (its best case).
/// </summary>
internal sealed class SqliteStateStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _upsert;

    public SqliteStateStore(string path)
    {
        _connection = new SqliteConnection($"Data Source={path};Pooling=False");
        _connection.Open();
        _db = _connection.Handle!;
        Exec("PRAGMA journal_mode=WAL");
        Exec("PRAGMA synchronous=FULL");
        Exec("CREATE TABLE IF NOT EXISTS hashtags(hashtag TEXT PRIMARY KEY, total INTEGER NOT NULL) WITHOUT ROWID");
        Exec("CREATE TABLE IF NOT EXISTS batches(id INTEGER PRIMARY KEY, run TEXT, offset INTEGER, posts INTEGER, tags INTEGER, malformed INTEGER)");
        _ = raw.sqlite3_prepare_v2(_db, "INSERT INTO hashtags VALUES(?1, ?2) ON CONFLICT(hashtag) DO UPDATE SET total = excluded.total", out _upsert);
    }

    public void Commit(long batch, byte[][] keys, long[] totals, int count)
    {
        Exec("BEGIN");
        for (var i = 0; i < count; i++)
        {
            _ = raw.sqlite3_bind_text(_upsert, 1, keys[i]);
            _ = raw.sqlite3_bind_int64(_upsert, 2, totals[i]);
            if (raw.sqlite3_step(_upsert) != raw.SQLITE_DONE)
            {
                throw new InvalidOperationException(raw.sqlite3_errmsg(_db).utf8_to_string());
            }

            _ = raw.sqlite3_reset(_upsert);
        }

        Exec($"INSERT OR REPLACE INTO batches VALUES({batch}, 'run', {batch}, 0, 0, 0)");
        Exec("COMMIT");
    }

    public Dictionary<byte[], long> Recover()
    {
        var totals = new Dictionary<byte[], long>(Utf8KeyComparer.Instance);
        var lookup = totals.GetAlternateLookup<ReadOnlySpan<byte>>();
        _ = raw.sqlite3_prepare_v2(_db, "SELECT hashtag, total FROM hashtags", out var select);
        using (select)
        {
            while (raw.sqlite3_step(select) == raw.SQLITE_ROW)
            {
                lookup[raw.sqlite3_column_blob(select, 0)] = raw.sqlite3_column_int64(select, 1);
            }
        }

        return totals;
    }

    public void Dispose()
    {
        _upsert.Dispose();
        _connection.Dispose();
    }

    private void Exec(string sql)
    {
        if (raw.sqlite3_exec(_db, sql) != raw.SQLITE_OK)
        {
            throw new InvalidOperationException(raw.sqlite3_errmsg(_db).utf8_to_string());
        }
    }
}
