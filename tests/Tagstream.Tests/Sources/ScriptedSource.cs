using System.Threading.Channels;
using Tagstream.Sources;

namespace Tagstream.Tests.Sources;

/// <summary>A source whose chunks the test pushes one at a time, so the test decides what is sent when.</summary>
internal sealed class ScriptedSource : PostSource
{
    private readonly Channel<byte[]> _chunks = Channel.CreateUnbounded<byte[]>();
    private byte[]? _last;

    public override string Name => "scripted";

    /// <summary>Chunks pushed and not read yet.</summary>
    public int Pending => _chunks.Reader.Count;

    public void Push(string lines) => _chunks.Writer.TryWrite(System.Text.Encoding.UTF8.GetBytes(lines));

    public void Push(byte[] lines) => _chunks.Writer.TryWrite(lines);

    public void End() => _chunks.Writer.TryComplete();

    /// <summary>Ends with a last chunk whose last line may lack its newline, as the contract allows for a final chunk.</summary>
    public void End(string lastLines)
    {
        _last = System.Text.Encoding.UTF8.GetBytes(lastLines);
        End();
    }

    public override async ValueTask<PostChunk> ReadAsync(CancellationToken cancellationToken)
    {
        if (await _chunks.Reader.WaitToReadAsync(cancellationToken) && _chunks.Reader.TryRead(out byte[]? chunk))
        {
            return new PostChunk(chunk, null, 0, null, isFinal: false);
        }

        return new PostChunk(_last ?? ReadOnlyMemory<byte>.Empty, null, 0, null, isFinal: true);
    }
}
