using Tagstream.Streaming;

namespace Tagstream.Cli.Dashboard;

/// <summary>What the dashboard shows for one closed batch: its figures and each view the counter has.</summary>
/// <param name="Batch">The batch.</param>
/// <param name="Views">The encoded views; always <see cref="DashboardView.All"/>.</param>
internal sealed record DashboardFrame(BatchResult Batch, IReadOnlyDictionary<DashboardView, ViewFrame> Views);
