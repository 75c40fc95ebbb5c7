using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Tagstream.Query;

/// <summary>
/// An in-memory SQLite copy of the counts for the job's SQL query, as the original ran Spark SQL after every batch:
/// tables <c>hashtags(hashtag TEXT, total INTEGER)</c> and, with a window, <c>window_hashtags(hashtag TEXT, count INTEGER)</c>.
/// Each batch upserts only the hashtags it changed, in one transaction, so the work follows the change, not the table.
/// </summary>
/// <remarks>
/// Hashtags are stored as UTF-8 TEXT and compared with SQLite's default BINARY collation (memcmp of the UTF-8 bytes), so
/// <c>order by hashtag</c> is the same order as the native ranking's. An index on (total desc, hashtag) lets the default
/// top-20 query read 20 index entries instead of sorting the table. Not thread-safe: one batch at a time.
/// </remarks>
internal sealed class HashtagSqlMirror : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _upsertTotal;
    private readonly sqlite3_stmt? _upsertWindow;
    private readonly sqlite3_stmt? _deleteWindow;
    private readonly sqlite3_stmt _query;
    private readonly string[] _columns;
    private bool _inBatch;

    /// <summary>Creates the tables and prepares <paramref name="query"/>.</summary>
    /// <param name="query">One read-only statement returning rows.</param>
    /// <param name="withWindow">True to create <c>window_hashtags</c> too.</param>
    /// <exception cref="SqlQueryException">The query has a syntax error, names an unknown table or column, writes, or is more than one statement.</exception>
    public HashtagSqlMirror(string query, bool withWindow)
    {
        ArgumentNullException.ThrowIfNull(query);
        _connection = new SqliteConnection("Data Source=:memory:");
        _connection.Open();
        _db = _connection.Handle!;
        try
        {
            Execute("PRAGMA journal_mode=OFF");
            Execute("CREATE TABLE hashtags(hashtag TEXT PRIMARY KEY, total INTEGER NOT NULL) WITHOUT ROWID");
            Execute("CREATE INDEX hashtags_by_total ON hashtags(total DESC, hashtag)");
            _upsertTotal = Prepare("INSERT INTO hashtags(hashtag, total) VALUES(?1, ?2) ON CONFLICT(hashtag) DO UPDATE SET total = excluded.total");
            if (withWindow)
            {
                Execute("CREATE TABLE window_hashtags(hashtag TEXT PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID");
                Execute("CREATE INDEX window_hashtags_by_count ON window_hashtags(count DESC, hashtag)");
                _upsertWindow = Prepare("INSERT INTO window_hashtags(hashtag, count) VALUES(?1, ?2) ON CONFLICT(hashtag) DO UPDATE SET count = excluded.count");
                _deleteWindow = Prepare("DELETE FROM window_hashtags WHERE hashtag = ?1");
            }

            _query = PrepareQuery(query);
            _columns = new string[raw.sqlite3_column_count(_query)];
            for (var i = 0; i < _columns.Length; i++)
            {
                _columns[i] = raw.sqlite3_column_name(_query, i).utf8_to_string();
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Checks a query as the program starts, before connecting to anything.</summary>
    /// <param name="query">The query text (<c>HashtagJobOptions.Sql</c>).</param>
    /// <param name="withWindow">True when the job has a window, so <c>window_hashtags</c> exists.</param>
    /// <returns>Null when the query can run; otherwise one line saying why not.</returns>
    public static string? Validate(string query, bool withWindow)
    {
        try
        {
            using var mirror = new HashtagSqlMirror(query, withWindow);
            return null;
        }
        catch (SqlQueryException e)
        {
            return e.Message;
        }
    }

    /// <summary>Starts one batch's changes (one transaction).</summary>
    public void BeginBatch()
    {
        if (_inBatch)
        {
            throw new InvalidOperationException("A batch is already open.");
        }

        Execute("BEGIN");
        _inBatch = true;
    }

    /// <summary>Stores a hashtag's new all-time total.</summary>
    public void SetTotal(ReadOnlySpan<byte> hashtag, long total) => Upsert(_upsertTotal, hashtag, total);

    /// <summary>Stores a hashtag's new window count; 0 removes it, so the table holds only the window's hashtags.</summary>
    public void SetWindowCount(ReadOnlySpan<byte> hashtag, long count)
    {
        if (_upsertWindow is null || _deleteWindow is null)
        {
            throw new InvalidOperationException("The mirror was created without a window.");
        }

        if (count != 0)
        {
            Upsert(_upsertWindow, hashtag, count);
            return;
        }

        EnsureInBatch();
        Check(raw.sqlite3_bind_text(_deleteWindow, 1, hashtag));
        Step(_deleteWindow);
    }

    /// <summary>Commits the batch's changes.</summary>
    public void CommitBatch()
    {
        EnsureInBatch();
        Execute("COMMIT");
        _inBatch = false;
    }

    /// <summary>Runs the query over the committed state. A run-time failure comes back in <see cref="SqlQueryResult.Error"/>.</summary>
    public SqlQueryResult Run()
    {
        var rows = new List<IReadOnlyList<object?>>();
        try
        {
            while (true)
            {
                var rc = raw.sqlite3_step(_query);
                if (rc == raw.SQLITE_DONE)
                {
                    return new SqlQueryResult(_columns, rows, null);
                }

                if (rc != raw.SQLITE_ROW)
                {
                    return new SqlQueryResult(_columns, [], raw.sqlite3_errmsg(_db).utf8_to_string());
                }

                var row = new object?[_columns.Length];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = raw.sqlite3_column_type(_query, i) switch
                    {
                        raw.SQLITE_INTEGER => raw.sqlite3_column_int64(_query, i),
                        raw.SQLITE_FLOAT => raw.sqlite3_column_double(_query, i),
                        raw.SQLITE_TEXT => raw.sqlite3_column_text(_query, i).utf8_to_string(),
                        raw.SQLITE_BLOB => raw.sqlite3_column_blob(_query, i).ToArray(),
                        _ => null,
                    };
                }

                rows.Add(row);
            }
        }
        finally
        {
            _ = raw.sqlite3_reset(_query);
        }
    }

    /// <summary>Releases the database.</summary>
    public void Dispose()
    {
        _query?.Dispose();
        _upsertTotal?.Dispose();
        _upsertWindow?.Dispose();
        _deleteWindow?.Dispose();
        _connection.Dispose();
    }

    private void Upsert(sqlite3_stmt statement, ReadOnlySpan<byte> hashtag, long value)
    {
        EnsureInBatch();
        Check(raw.sqlite3_bind_text(statement, 1, hashtag));
        Check(raw.sqlite3_bind_int64(statement, 2, value));
        Step(statement);
    }

    private void EnsureInBatch()
    {
        if (!_inBatch)
        {
            throw new InvalidOperationException("Call BeginBatch first.");
        }
    }

    private void Step(sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        _ = raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            throw new InvalidOperationException("SQLite mirror update failed: " + raw.sqlite3_errmsg(_db).utf8_to_string());
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new InvalidOperationException("SQLite mirror update failed: " + raw.sqlite3_errmsg(_db).utf8_to_string());
        }
    }

    private void Execute(string sql)
    {
        if (raw.sqlite3_exec(_db, sql) != raw.SQLITE_OK)
        {
            throw new InvalidOperationException("SQLite mirror failed: " + raw.sqlite3_errmsg(_db).utf8_to_string());
        }
    }

    private sqlite3_stmt Prepare(string sql)
    {
        if (raw.sqlite3_prepare_v2(_db, sql, out var statement) != raw.SQLITE_OK)
        {
            throw new InvalidOperationException("SQLite mirror failed: " + raw.sqlite3_errmsg(_db).utf8_to_string());
        }

        return statement;
    }

    private sqlite3_stmt PrepareQuery(string query)
    {
        if (raw.sqlite3_prepare_v2(_db, query, out var statement, out var tail) != raw.SQLITE_OK)
        {
            throw new SqlQueryException("SQL query: " + raw.sqlite3_errmsg(_db).utf8_to_string());
        }

        if (statement.IsInvalid)
        {
            throw new SqlQueryException("SQL query: the query is empty.");
        }

        // A second statement would run unchecked after the first: refuse anything but comments and blanks after it.
        if (!string.IsNullOrWhiteSpace(tail))
        {
            var rc = raw.sqlite3_prepare_v2(_db, tail, out var next, out _);
            var more = rc != raw.SQLITE_OK || !next.IsInvalid;
            next.Dispose();
            if (more)
            {
                statement.Dispose();
                throw new SqlQueryException("SQL query: give one statement only.");
            }
        }

        // sqlite3_stmt_readonly is true for statements that do not write the database, but also for BEGIN, ATTACH or a
        // PRAGMA that changes a setting (https://sqlite.org/c3ref/stmt_readonly.html): requiring result columns as well
        // leaves only queries.
        if (raw.sqlite3_stmt_readonly(statement) == 0 || raw.sqlite3_column_count(statement) == 0)
        {
            statement.Dispose();
            throw new SqlQueryException("SQL query: only a read-only query that returns rows is allowed (a SELECT over hashtags or window_hashtags).");
        }

        return statement;
    }
}
