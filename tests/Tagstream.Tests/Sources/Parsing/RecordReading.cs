using System.Text;
using Tagstream.Sources.Parsing;

namespace Tagstream.Tests.Sources.Parsing;

/// <summary>Reads every record of a byte stream with <see cref="PostRecordReader"/>.</summary>
internal static class RecordReading
{
    public static async Task<(PostFormat Format, List<PostRecord> Records)> ReadAllAsync(byte[] bytes, PostFormat format = PostFormat.Auto)
    {
        await using var reader = new PostRecordReader(new MemoryStream(bytes), format);
        var records = new List<PostRecord>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken) is { } record)
        {
            records.Add(record);
        }

        return (reader.Format, records);
    }

    public static Task<(PostFormat Format, List<PostRecord> Records)> ReadFixtureAsync(string name, PostFormat format = PostFormat.Auto) =>
        ReadAllAsync(File.ReadAllBytes(TestDataFiles.Fixture(name)), format);

    public static Task<(PostFormat Format, List<PostRecord> Records)> ReadTextAsync(string text, PostFormat format = PostFormat.Auto) =>
        ReadAllAsync(Encoding.UTF8.GetBytes(text), format);
}
