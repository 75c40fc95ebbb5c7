using System.Text.Json;
using Tagstream.Sources.Synthetic;
using Xunit;

namespace Tagstream.Tests.Cli;

/// <summary>The counter killed with SIGKILL at random moments and restarted on its checkpoint: no post lost, none counted twice.</summary>
public sealed class CrashRecoveryTests
{
    public static TheoryData<int> Seeds() => [1, 2, 3, 4];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Count_KilledAtRandomMomentsAndRestarted_FinalTotalsEqualTheReference(int seed)
    {
        const int Posts = 60_000;
        var random = new Random(seed);
        string checkpoint = Path.Combine(Path.GetTempPath(), $"tagstream-crash-{Guid.NewGuid():N}");
        var options = new SyntheticOptions { Seed = (ulong)seed, Vocabulary = 2000 };
        try
        {
            await using var feed = CliProcess.Start("feed", "--limit", $"{Posts}", "--rate", "20000", "--port", "0", "--quiet", "--seed", $"{seed}", "--vocabulary", "2000");
            int port = await feed.FeedPortAsync();
            string[] countArgs = ["count", "--connect", $"127.0.0.1:{port}", "--until-eof", "--output", "jsonl", "--interval", "50ms", "--top", "5000", "--checkpoint", checkpoint];
            int kills = 0;
            CliProcess counter;
            while (true)
            {
                counter = CliProcess.Start(countArgs);
                Task<int> exit = counter.WaitForExitAsync(TimeSpan.FromSeconds(120));
                if (await Task.WhenAny(exit, Task.Delay(random.Next(300, 1500), TestContext.Current.CancellationToken)) == exit)
                {
                    break;
                }

                counter.KillHard();
                await exit;
                await counter.DisposeAsync();
                kills++;
            }

            await using (counter)
            {
                Assert.Equal(0, await counter.WaitForExitAsync());
                Assert.Equal(0, await feed.WaitForExitAsync());
                Assert.True(kills > 0, "The counter was never killed: the test proved nothing.");

                var reference = SyntheticReference.Count(await SyntheticReference.LinesAsync(options, Posts));
                JsonElement last = JsonDocument.Parse(counter.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
                Assert.Equal(Posts, last.GetProperty("total_posts").GetInt64());
                Assert.Equal(reference.Tags, last.GetProperty("total_tags").GetInt64());
                Assert.Equal(
                    reference.Top(5000),
                    [.. last.GetProperty("top").EnumerateArray().Select(e => (e.GetProperty("hashtag").GetString()!, e.GetProperty("total").GetInt64()))]);
            }
        }
        finally
        {
            if (Directory.Exists(checkpoint))
            {
                Directory.Delete(checkpoint, recursive: true);
            }
        }
    }
}
