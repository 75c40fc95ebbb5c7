using Xunit;
namespace Tagstream.Tests.Dashboard;

/// <summary>One Server-Sent Event as a client sees it.</summary>
internal sealed record SseMessage(string Name, string? Id, string Data);
