using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace MarketSim.Cli.Input;

/// <summary>
/// The command line's side of the input boundary: numeric options read as the widest integer and range-checked by
/// the parser itself, so that <c>--checkpoint-every 99999999999</c>, <c>--agents abc</c> or <c>--threads -1</c> are
/// parse errors naming the option as typed (exit 2), never a conversion exception; and validators read values through
/// <see cref="ValueOrDefault{T}(CommandResult, Option{T})"/>, which does not throw on a value that failed to convert
/// (the parser reports that failure itself).
/// </summary>
public static class CliOptions
{
    /// <summary>Most threads accepted: far above any machine's cores, low enough that no count overflows.</summary>
    public const int MaxThreads = 4096;

    /// <summary>An integer option in [<paramref name="min"/>, <paramref name="max"/>] with a default.</summary>
    public static Option<T> WholeNumber<T>(string name, T min, T max, T defaultValue, string description)
        where T : struct, IBinaryInteger<T>
    {
        var option = new Option<T>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.CustomParser = result => Parse(result, name, min, max) ?? defaultValue;
        return option;
    }

    /// <summary>An optional integer option in [<paramref name="min"/>, <paramref name="max"/>]; null when absent.</summary>
    public static Option<T?> OptionalWholeNumber<T>(string name, T min, T max, string description)
        where T : struct, IBinaryInteger<T>
    {
        var option = new Option<T?>(name) { Description = description };
        option.CustomParser = result => Parse(result, name, min, max);
        return option;
    }

    /// <summary>The thread-count option every command shares: 0 (all cores) to <see cref="MaxThreads"/>.</summary>
    public static Option<int> Threads(string description) => WholeNumber("--threads", 0, MaxThreads, 0, description);

    /// <summary>
    /// Reads the option's token as a whole number of any size and checks its range: a value outside is an error naming the
    /// option as typed and the range, e.g. <c>--checkpoint-every 99999999999: expected a whole number from 0 to 2,147,483,647</c>.
    /// </summary>
    internal static T? Parse<T>(ArgumentResult result, string name, T min, T max) where T : struct, IBinaryInteger<T>
    {
        string typed = (result.Parent as OptionResult)?.IdentifierToken?.Value ?? name;
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (TryRead(text, min, max, out T value, out string? problem)) return value;
        result.AddError($"{typed} {text}: {problem}");
        return null;
    }

    /// <summary>
    /// Reads <paramref name="text"/> as a whole number (an optional sign and decimal digits, any length) in [min, max];
    /// the problem otherwise, in words, naming the range.
    /// </summary>
    public static bool TryRead<T>(string text, T min, T max, out T value, out string? problem) where T : struct, IBinaryInteger<T>
    {
        ArgumentNullException.ThrowIfNull(text);
        value = default;
        problem = null;
        string range = $"a whole number from {Format(min)} to {Format(max)}";
        // BigInteger: any length of digits reads, so the answer is "out of range", never an overflow.
        if (!BigInteger.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var wide))
        {
            problem = $"expected {range}";
            return false;
        }
        if (wide < BigInteger.CreateChecked(min) || wide > BigInteger.CreateChecked(max))
        {
            problem = $"out of range: expected {range}";
            return false;
        }
        value = T.CreateChecked(wide);
        return true;
    }

    private static string Format<T>(T n) where T : struct, IBinaryInteger<T> =>
        BigInteger.CreateChecked(n).ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>An option's value, or its default when it is absent or did not convert (the parser reports that itself).</summary>
    public static T? ValueOrDefault<T>(this CommandResult result, Option<T> option)
    {
        ArgumentNullException.ThrowIfNull(result);
        try { return result.GetValue(option); }
        catch (InvalidOperationException) { return default; }
    }

    /// <summary>An argument's value, or its default when it is absent or did not convert.</summary>
    public static T? ValueOrDefault<T>(this CommandResult result, Argument<T> argument)
    {
        ArgumentNullException.ThrowIfNull(result);
        try { return result.GetValue(argument); }
        catch (InvalidOperationException) { return default; }
    }

    /// <summary>
    /// Adds the check every command with <c>--out</c> makes while parsing: the folder may not be an existing file or lie
    /// below one (exit 2 naming <c>--out</c>, before anything is read or written).
    /// </summary>
    public static void CheckOutputFolder(CommandResult result, Option<DirectoryInfo?> output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        if (result.GetResult(output) is not { } given || given.Tokens.Count == 0) return;
        string typed = given.IdentifierToken?.Value ?? output.Name;
        string text = given.Tokens[^1].Value;
        if (ScenarioFiles.InputFiles.CheckPath(text) is { } invalid) { result.AddError($"{typed} {text}: {invalid}"); return; }
        if (Faults.OutputFolderProblem(text, typed) is { } problem) result.AddError(problem);
    }
}
