using System.Buffers;
using System.Text;

namespace Tagstream.Sources.Lines;

/// <summary>Encodes a post's hashtags as a protocol line: UTF-8, separated by one space, ended by <c>\n</c>.</summary>
public static class ProtocolLineEncoder
{
    /// <summary>Appends the line of <paramref name="hashtags"/> (an empty line when there are none).</summary>
    /// <param name="writer">Receives the bytes.</param>
    /// <param name="hashtags">Normalised hashtags, which hold no whitespace.</param>
    public static void Append(IBufferWriter<byte> writer, IReadOnlyList<string> hashtags)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(hashtags);
        for (var i = 0; i < hashtags.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(" "u8);
            }

            Encoding.UTF8.GetBytes(hashtags[i], writer);
        }

        writer.Write("\n"u8);
    }
}
