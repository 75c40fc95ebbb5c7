using System.Buffers;
using System.IO.Pipelines;

namespace Tagstream.Sources.Live.Transport;

/// <summary>
/// Splits a streamed HTTP body into lines ended by <c>\n</c> (a trailing <c>\r</c> is dropped), with a read timeout that
/// restarts whenever bytes arrive and a limit on the length of a line. Used for X's NDJSON and Mastodon's SSE.
/// </summary>
internal sealed class LineFramer
{
    private readonly PipeReader _reader;
    private readonly int _maxLineBytes;
    private readonly TimeSpan _readTimeout;
    private readonly TimeProvider _timeProvider;
    private bool _discarding;

    public LineFramer(Stream stream, int maxLineBytes, TimeSpan readTimeout, TimeProvider timeProvider)
    {
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        _maxLineBytes = maxLineBytes;
        _readTimeout = readTimeout;
        _timeProvider = timeProvider;
    }

    /// <summary>Reads the next line.</summary>
    /// <exception cref="TimeoutException">No byte arrived within the read timeout.</exception>
    public async ValueTask<(LineStatus Status, byte[] Line)> ReadLineAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_readTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _reader.ReadAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException();
            }

            timeout.CancelAfter(_readTimeout);
            var buffer = result.Buffer;
            if (buffer.PositionOf((byte)'\n') is { } newline)
            {
                var line = buffer.Slice(0, newline);
                var wasDiscarding = _discarding;
                _discarding = false;
                var tooLong = wasDiscarding || line.Length > _maxLineBytes;
                var bytes = tooLong ? [] : TrimCarriageReturn(line.ToArray());
                _reader.AdvanceTo(buffer.GetPosition(1, newline));
                return (tooLong ? LineStatus.Oversized : LineStatus.Line, bytes);
            }

            if (result.IsCompleted)
            {
                var status = buffer.IsEmpty && !_discarding ? LineStatus.End : LineStatus.EndMidLine;
                _reader.AdvanceTo(buffer.End);
                return (status, []);
            }

            if (buffer.Length > _maxLineBytes)
            {
                // Drop what we hold of the oversized line so memory stays bounded; the rest is skipped up to its newline.
                _discarding = true;
                _reader.AdvanceTo(buffer.End);
            }
            else
            {
                _reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }

    private static byte[] TrimCarriageReturn(byte[] line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
}
