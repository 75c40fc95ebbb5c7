namespace Tagstream.Tests;

/// <summary>
/// Test data copied byte for byte from the team's shared folder (conformance cases and wire-format fixtures), so the
/// tests run from any clone without a sibling folder.
/// </summary>
internal static class TestDataFiles
{
    public static string PathOf(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    public static string Fixture(string name) => PathOf("fixtures", name);
}
