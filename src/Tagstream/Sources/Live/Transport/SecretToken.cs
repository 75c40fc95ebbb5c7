using System.Diagnostics;

namespace Tagstream.Sources.Live.Transport;

/// <summary>
/// A credential (a bearer or access token) that never shows itself: <see cref="ToString"/> and the debugger display
/// are redacted, so the value cannot reach output, logs or exception messages by accident.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class SecretToken
{
    private readonly string _value;

    /// <summary>Wraps a token read from <paramref name="variable"/>.</summary>
    /// <param name="variable">The environment variable (or setting) the token came from, named in messages, for example <c>X_BEARER_TOKEN</c>.</param>
    /// <param name="value">The token itself.</param>
    public SecretToken(string variable, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(variable);
        // Not ThrowIfNullOrWhiteSpace(value): its message would be harmless, but keep the value out of every message on principle.
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"The token from {variable} is empty.", nameof(value));
        }

        Variable = variable;
        _value = value.Trim();
    }

    /// <summary>The environment variable (or setting) the token came from, for messages that say what to set.</summary>
    public string Variable { get; }

    /// <summary>Reads a token from an environment variable.</summary>
    /// <returns>The token, or null when the variable is unset or blank.</returns>
    public static SecretToken? FromEnvironment(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(value) ? null : new SecretToken(variable, value);
    }

    /// <summary>The token, for the one place that puts it in an Authorization header.</summary>
    internal string Reveal() => _value;

    /// <summary>Names the variable and hides the value.</summary>
    public override string ToString() => $"{Variable}=***";
}
