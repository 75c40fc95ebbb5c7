using System.Collections.Concurrent;
using Tagstream.Sources;
using Tagstream.Sources.Live.Transport;

namespace Tagstream.Tests.Sources.Live;

/// <summary>A <see cref="LiveSourceContext"/> that records every problem line and every back-off delay, and never waits.</summary>
internal sealed class LiveTestContext
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<TimeSpan> _delays = new();

    public LiveTestContext(TimeProvider? timeProvider = null)
    {
        Context = new LiveSourceContext
        {
            Problems = new ProblemReporter("test", new Recorder(_lines), timeProvider ?? TimeProvider.System),
            TimeProvider = timeProvider ?? TimeProvider.System,
            Delay = (delay, cancellationToken) =>
            {
                _delays.Enqueue(delay);
                cancellationToken.ThrowIfCancellationRequested();
                return Task.CompletedTask;
            },
        };
    }

    private sealed class Recorder(ConcurrentQueue<string> lines) : IProgress<SourceStatus>
    {
        public void Report(SourceStatus value)
        {
            Assert.Equal(SourceSeverity.Warning, value.Severity);
            lines.Enqueue(value.Message);
        }
    }

    /// <summary>A token that must never appear in any output.</summary>
    public const string Token = "tok-SECRET-0123456789";

    public LiveSourceContext Context { get; }

    public IReadOnlyList<string> Lines => [.. _lines];

    public IReadOnlyList<TimeSpan> Delays => [.. _delays];

    /// <summary>Cancels a test's stream reading if it hangs (a guard against a broken build, never an assertion on time).</summary>
    public static CancellationTokenSource Guard()
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(TimeSpan.FromSeconds(60));
        return source;
    }
}
