namespace Tagstream.Cli.Dashboard;

/// <summary>The rankings a dashboard can show; a counter offers <see cref="All"/> and, when it keeps windows, the others.</summary>
internal enum DashboardView
{
    /// <summary>Totals since the start: the original's ranking.</summary>
    All,

    /// <summary>Totals over the recent window.</summary>
    Window,

    /// <summary>Hashtags rising fastest.</summary>
    Trending,
}
