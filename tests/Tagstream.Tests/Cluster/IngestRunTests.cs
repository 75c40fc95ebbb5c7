using System.Text;
using Tagstream.Cluster;
using Xunit;

namespace Tagstream.Tests.Cluster;

/// <summary>Where a replayed batch is cut: exactly at its planned end, or not at all.</summary>
public sealed class IngestRunTests
{
    private static readonly byte[] s_lines = Encoding.UTF8.GetBytes("a b\n\nc\nd e f\n");

    [Theory]
    [InlineData(10, 10, 0)]
    [InlineData(10, 11, 4)]
    [InlineData(10, 12, 5)]
    [InlineData(10, 14, 13)]
    public void CutLength_LinesUnit_TakesThatManyLines(long before, long target, int expected) =>
        Assert.Equal(expected, IngestRun.CutLength(s_lines, 0, before, target, OffsetUnit.Lines));

    [Theory]
    [InlineData(100, 104, 4)]
    [InlineData(100, 107, 7)]
    [InlineData(100, 100, 0)]
    public void CutLength_BytesUnit_TakesThatManyBytes(long before, long target, int expected) =>
        Assert.Equal(expected, IngestRun.CutLength(s_lines, 0, before, target, OffsetUnit.Bytes));

    [Theory]
    [InlineData(100, 103, true)] // inside a line
    [InlineData(100, 120, true)] // past the chunk
    [InlineData(10, 15, false)] // more lines than the chunk has
    [InlineData(10, 9, false)] // before the chunk
    public void CutLength_EndNotOnALineOfTheChunk_Throws(long before, long target, bool bytes) =>
        Assert.Throws<IOException>(() => IngestRun.CutLength(s_lines, 0, before, target, bytes ? OffsetUnit.Bytes : OffsetUnit.Lines));

    [Fact]
    public void CutLength_ChunkWithSkippedLines_Throws() =>
        Assert.Throws<IOException>(() => IngestRun.CutLength(s_lines, 1, 100, 104, OffsetUnit.Bytes));
}
