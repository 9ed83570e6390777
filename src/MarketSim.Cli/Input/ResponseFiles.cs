using System.CommandLine.Parsing;
using MarketSim.ScenarioFiles;

namespace MarketSim.Cli.Input;

/// <summary>
/// Response files (<c>marketsim @args.rsp</c>) read through the same limits as every other input file
/// (<see cref="InputFiles"/>): a regular file of at most 1 MiB of UTF-8. <c>@/dev/zero</c>, a FIFO, a folder or an
/// over-long file is a parse error naming the file (exit 2), where System.CommandLine's own reader would read forever or
/// run out of memory. A file that passes is split into tokens by System.CommandLine's reader, so the syntax is unchanged.
/// </summary>
public static class ResponseFiles
{
    /// <summary>A token replacer for <see cref="System.CommandLine.ParserConfiguration.ResponseFileTokenReplacer"/>.</summary>
    public static TryReplaceToken Replacer(TryReplaceToken? tokenise) =>
        (string token, out IReadOnlyList<string>? replacement, out string? error) =>
        {
            replacement = null;
            if (InputFiles.TryReadText(token, out var fault) is null)
            {
                error = $"response file @{token}: {fault!.Message}" + (fault.Line > 0 ? $" (line {fault.Line})" : "");
                return false;
            }
            if (tokenise is null)
            {
                error = $"response file @{token}: response files are not supported";
                return false;
            }
            return tokenise(token, out replacement, out error);
        };
}
