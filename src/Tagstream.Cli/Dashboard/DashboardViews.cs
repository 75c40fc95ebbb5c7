namespace Tagstream.Cli.Dashboard;

/// <summary>The names of <see cref="DashboardView"/> in URLs and JSON (<c>view=all|window|trending</c>).</summary>
internal static class DashboardViews
{
    /// <summary>The view's name.</summary>
    public static string Name(this DashboardView view) => view switch
    {
        DashboardView.All => "all",
        DashboardView.Window => "window",
        DashboardView.Trending => "trending",
        _ => throw new ArgumentOutOfRangeException(nameof(view), view, null),
    };

    /// <summary>Parses a name as written in a URL; names are lower-case and exact.</summary>
    public static bool TryParse(string? name, out DashboardView view)
    {
        switch (name)
        {
            case "all":
                view = DashboardView.All;
                return true;
            case "window":
                view = DashboardView.Window;
                return true;
            case "trending":
                view = DashboardView.Trending;
                return true;
            default:
                view = default;
                return false;
        }
    }
}
