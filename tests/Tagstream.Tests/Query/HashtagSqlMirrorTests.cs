using System.Text;
using Tagstream.Query;
using Tagstream.Tests.TestSupport;
using Xunit;

namespace Tagstream.Tests.Query;

public sealed class HashtagSqlMirrorTests
{
    private const string DefaultQuery = "select hashtag, total from hashtags order by total desc, hashtag asc limit 20";

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Run_DefaultQueryOnRandomStates_EqualsNativeTopOrder(int seed)
    {
        var random = new Random(seed);
        var vocabulary = RandomTags.Vocabulary(random, random.Next(1, 400));
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        using var mirror = new HashtagSqlMirror(DefaultQuery, withWindow: false);

        for (var batch = 0; batch < 8; batch++)
        {
            mirror.BeginBatch();
            foreach (var tag in vocabulary.Where(_ => random.Next(3) == 0))
            {
                // Small increments make many ties, which the order must break by UTF-8 bytes.
                totals[tag] = totals.GetValueOrDefault(tag) + random.Next(1, 3);
                mirror.SetTotal(Encoding.UTF8.GetBytes(tag), totals[tag]);
            }

            mirror.CommitBatch();
            var result = mirror.Run();

            Assert.Null(result.Error);
            Assert.Equal(["hashtag", "total"], result.Columns);
            var expected = RandomTags.NaiveTop(totals, 20).Select(p => (p.Key, p.Value)).ToList();
            var actual = result.Rows.Select(r => ((string)r[0]!, (long)r[1]!)).ToList();
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void SetWindowCount_RandomCountsIncludingZero_TableHoldsExactlyTheWindow(int seed)
    {
        var random = new Random(seed);
        var vocabulary = RandomTags.Vocabulary(random, 50);
        var window = new Dictionary<string, long>(StringComparer.Ordinal);
        using var mirror = new HashtagSqlMirror("select hashtag, count from window_hashtags order by count desc, hashtag limit 1000", withWindow: true);

        for (var batch = 0; batch < 10; batch++)
        {
            mirror.BeginBatch();
            foreach (var tag in vocabulary.Where(_ => random.Next(3) == 0))
            {
                var count = random.Next(3) == 0 ? 0 : random.Next(1, 5);
                if (count == 0)
                {
                    window.Remove(tag);
                }
                else
                {
                    window[tag] = count;
                }

                mirror.SetWindowCount(Encoding.UTF8.GetBytes(tag), count);
            }

            mirror.CommitBatch();
            var rows = mirror.Run().Rows.Select(r => ((string)r[0]!, (long)r[1]!)).ToList();
            Assert.Equal(RandomTags.NaiveTop(window, 1000).Select(p => (p.Key, p.Value)), rows);
        }
    }

    [Theory]
    [InlineData("insert into hashtags values('x', 1)")]
    [InlineData("delete from hashtags")]
    [InlineData("update hashtags set total = 0")]
    [InlineData("drop table hashtags")]
    [InlineData("create table t(x)")]
    [InlineData("pragma query_only = 0")]
    [InlineData("attach database ':memory:' as other")]
    [InlineData("begin")]
    [InlineData("select 1; delete from hashtags")]
    [InlineData("with x as (select 1) insert into hashtags select 'a', 1 from x")]
    public void Validate_StatementThatWritesOrIsNotAQuery_IsRefused(string query)
    {
        var error = HashtagSqlMirror.Validate(query, withWindow: false);

        Assert.NotNull(error);
        Assert.StartsWith("SQL query: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Theory]
    [InlineData("selec hashtag from hashtags", "syntax error")]
    [InlineData("select nope from hashtags", "no such column: nope")]
    [InlineData("select * from window_hashtags", "no such table: window_hashtags")]
    [InlineData("", "empty")]
    public void Validate_BadQuery_OneClearLine(string query, string expected)
    {
        var error = HashtagSqlMirror.Validate(query, withWindow: false);

        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Theory]
    [InlineData(DefaultQuery, false)]
    [InlineData("select count(*) from hashtags; -- trailing comment", false)]
    [InlineData("select w.hashtag, w.count, h.total from window_hashtags w join hashtags h using (hashtag)", true)]
    public void Validate_ReadOnlyQuery_IsAccepted(string query, bool withWindow) =>
        Assert.Null(HashtagSqlMirror.Validate(query, withWindow));

    [Fact]
    public void Run_RuntimeFailure_ReportedForThatBatchAndTheNextBatchRuns()
    {
        // abs() of the smallest integer overflows at run time, only once such a row exists.
        using var mirror = new HashtagSqlMirror("select hashtag, abs(total - 9223372036854775807 - 1) from hashtags", withWindow: false);
        mirror.BeginBatch();
        mirror.SetTotal("small"u8, 5);
        mirror.CommitBatch();
        Assert.Null(mirror.Run().Error);

        mirror.BeginBatch();
        mirror.SetTotal("small"u8, 0);
        mirror.CommitBatch();
        var failed = mirror.Run();
        Assert.Contains("integer overflow", failed.Error, StringComparison.Ordinal);
        Assert.Empty(failed.Rows);

        mirror.BeginBatch();
        mirror.SetTotal("small"u8, 6);
        mirror.CommitBatch();
        var recovered = mirror.Run();
        Assert.Null(recovered.Error);
        Assert.Single(recovered.Rows);
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 30)];
}
