namespace Tagstream.Counting.Windows;

/// <summary>The hashtags whose window count changed in the last closed batch; enumerate with <c>foreach</c>, no allocation.</summary>
internal readonly ref struct WindowChanges
{
    private readonly SlidingWindow _window;

    internal WindowChanges(SlidingWindow window) => _window = window;

    /// <summary>How many hashtags changed.</summary>
    public int Count => _window.Touched.Length;

    /// <summary>Starts the enumeration.</summary>
    public Enumerator GetEnumerator() => new(_window);

    /// <summary>Enumerates <see cref="WindowChange"/>s.</summary>
    public ref struct Enumerator
    {
        private readonly SlidingWindow _window;
        private int _index;

        internal Enumerator(SlidingWindow window)
        {
            _window = window;
            _index = -1;
        }

        /// <summary>The current change.</summary>
        public readonly WindowChange Current
        {
            get
            {
                var entry = _window.Touched[_index];
                return new WindowChange(_window.KeyOf(entry), _window.CountOf(entry));
            }
        }

        /// <summary>Moves to the next change.</summary>
        public bool MoveNext() => ++_index < _window.Touched.Length;
    }
}
