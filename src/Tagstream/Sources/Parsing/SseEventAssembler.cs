using System.Buffers;
using System.Text;

namespace Tagstream.Sources.Parsing;

/// <summary>
/// Assembles Server-Sent Events from lines, following the event stream interpretation rules
/// (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation): <c>field: value</c>
/// lines (one optional space after the colon), <c>data</c> lines joined with <c>\n</c>, a blank line dispatching the
/// event, <c>:</c> comment lines. <c>id</c> and <c>retry</c> are ignored: Mastodon does not resume by event id.
/// </summary>
/// <remarks>Not thread-safe: one assembler per stream.</remarks>
internal sealed class SseEventAssembler
{
    private readonly ArrayBufferWriter<byte> _data = new();
    private readonly int _maxEventBytes;
    private string? _eventName;
    private bool _hasData;
    private bool _tooLong;

    /// <summary>Creates an assembler.</summary>
    /// <param name="maxEventBytes">The most data bytes one event may hold; a longer event is reported as too long.</param>
    public SseEventAssembler(int maxEventBytes = 4 << 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEventBytes);
        _maxEventBytes = maxEventBytes;
    }

    /// <summary>True while lines of an event have been read but the blank line that ends it has not.</summary>
    public bool HasPartialEvent => _hasData || _eventName is not null || _tooLong;

    /// <summary>Takes one line and tells whether it completed an event or was a comment.</summary>
    /// <param name="line">The line without its line ending (a trailing <c>\r</c> is ignored).</param>
    /// <param name="sseEvent">The completed event or comment; its data is valid until the next call.</param>
    /// <param name="tooLong">True when the completed event's data went over the limit: it was dropped, report it.</param>
    /// <returns>True when <paramref name="sseEvent"/> or <paramref name="tooLong"/> is set.</returns>
    public bool TryAddLine(ReadOnlySpan<byte> line, out SseEvent sseEvent, out bool tooLong)
    {
        sseEvent = default;
        tooLong = false;
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (line.IsEmpty)
        {
            return Dispatch(out sseEvent, out tooLong);
        }

        if (line[0] == (byte)':')
        {
            // Comments between events are heartbeats worth reporting; one inside an event is just ignored.
            if (HasPartialEvent)
            {
                return false;
            }

            _data.ResetWrittenCount();
            sseEvent = new SseEvent(null, ReadOnlyMemory<byte>.Empty, IsComment: true);
            return true;
        }

        var colon = line.IndexOf((byte)':');
        var field = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? [] : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }

        if (field.SequenceEqual("data"u8))
        {
            AppendData(value);
        }
        else if (field.SequenceEqual("event"u8))
        {
            _eventName = Encoding.UTF8.GetString(value);
        }

        return false;
    }

    private void AppendData(ReadOnlySpan<byte> value)
    {
        if (_hasData && !_tooLong)
        {
            _data.Write("\n"u8);
        }
        else if (!_hasData)
        {
            _data.ResetWrittenCount();
        }

        _hasData = true;
        if (_tooLong || _data.WrittenCount + value.Length > _maxEventBytes)
        {
            _tooLong = true;
            return;
        }

        _data.Write(value);
    }

    private bool Dispatch(out SseEvent sseEvent, out bool tooLong)
    {
        // A blank line after an event without data lines dispatches nothing (the specification's rule).
        var dispatch = _hasData;
        tooLong = _tooLong;
        sseEvent = dispatch && !tooLong ? new SseEvent(_eventName, _data.WrittenMemory, IsComment: false) : default;
        _eventName = null;
        _hasData = false;
        _tooLong = false;
        return dispatch;
    }
}
