using System.Net;

namespace Tagstream.Feed;

/// <summary>Hears what happens to a feed's connections, for a console or a log. Calls come from several threads.</summary>
public interface IFeedObserver
{
    /// <summary>A client connected. <paramref name="resumedAt"/> is the line it resumed at, when it asked to resume.</summary>
    void ClientConnected(EndPoint client, long? resumedAt) { }

    /// <summary>A client went away or was dropped; <paramref name="reason"/> is one sentence.</summary>
    void ClientDropped(EndPoint client, string reason) { }
}
