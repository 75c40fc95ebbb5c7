using System.Text;

namespace Tagstream.Tests.Sources.Parsing;

internal static class ParserTestPayloads
{
    public static ReadOnlyMemory<byte> Utf8(string json) => Encoding.UTF8.GetBytes(json);
}
