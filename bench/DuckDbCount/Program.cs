using DuckDB.NET.Data;

// DuckDB for bench/compare.sh: the file read as one VARCHAR column of lines, split on spaces with
// unnest(string_split), counted by GROUP BY on THREADS threads (default 2, this machine's cores), the top 20 printed
// as "total hashtag" lines (total desc, then hashtag ascending: DuckDB compares strings by their UTF-8 bytes, as
// DESIGN.md's top-N order does). string_split cuts at every single space: exact for files whose tokens are separated
// by one space, as `tagstream gen` writes them (empty pieces, from an empty line or a run of spaces, are dropped).
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: DuckDbCount FILE");
    return 2;
}

int threads = int.TryParse(Environment.GetEnvironmentVariable("THREADS"), out var n) ? n : 2;
using var connection = new DuckDBConnection("Data Source=:memory:");
connection.Open();
using var command = connection.CreateCommand();
command.CommandText = $"SET threads = {threads}";
command.ExecuteNonQuery();

// One column per line: a delimiter byte the data never holds, no quoting or escaping, no type sniffing.
command.CommandText = """
    SELECT tag, count(*) AS total
    FROM (
        SELECT unnest(string_split(line, ' ')) AS tag
        FROM read_csv($path, columns = {'line': 'VARCHAR'}, header = false, delim = '\x01', quote = '', escape = '',
                      auto_detect = false, new_line = '\n')
    )
    WHERE tag <> ''
    GROUP BY tag
    ORDER BY total DESC, tag ASC
    LIMIT 20
    """;
command.Parameters.Add(new DuckDBParameter("path", args[0]));
using var output = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false));
using (var reader = command.ExecuteReader())
{
    while (reader.Read())
    {
        output.Write(reader.GetInt64(1));
        output.Write(' ');
        output.Write(reader.GetString(0));
        output.Write('\n');
    }
}

return 0;
