using System.Globalization;
using System.Text.RegularExpressions;

namespace MarketSim.Cli.Runs;

/// <summary>
/// Refuses a run before it allocates more memory than the machine (or the user's --max-memory) allows: a clear message
/// now is better than the operating system killing the process an hour into a batch job.
/// </summary>
public static partial class MemoryGuard
{
    /// <summary>Bytes this process may still use: the runtime's limit (container-aware) and the kernel's MemAvailable.</summary>
    public static long AvailableBytes()
    {
        long limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        long used = Environment.WorkingSet;
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    long kib = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                    return Math.Min(limit, kib * 1024 + used);
                }
        }
        catch (IOException)
        {
            // Not Linux: the runtime's figure is all there is.
        }
        return limit;
    }

    /// <summary>True when the estimate fits; otherwise a message saying what is needed, what is allowed and what to do.</summary>
    public static bool Allows(MemoryEstimate estimate, long? maxBytes, out string refusal)
    {
        long allowed = maxBytes ?? AvailableBytes();
        string source = maxBytes is null ? "available on this machine" : "allowed by --max-memory";
        refusal = "";
        if (estimate.TotalBytes <= allowed) return true;
        string snapshots = estimate.SnapshotBytes > 0 ? $", of which {MemoryEstimate.Format(estimate.SnapshotBytes)} for agent snapshots" : "";
        refusal = $"this run needs about {MemoryEstimate.Format(estimate.TotalBytes)} ({estimate.Agents:N0} agent slots{snapshots}) " +
                  $"but only {MemoryEstimate.Format(allowed)} is {source}; use fewer agents (--agents){(snapshots.Length > 0 ? ", fewer snapshot dates or a smaller sample" : "")} " +
                  "or more memory. Nothing was written.";
        return false;
    }

    /// <summary>
    /// True when <paramref name="bytes"/> fit in what <paramref name="maxBytes"/> (or, without it, the machine) allows;
    /// otherwise a refusal naming what needs them, what is needed and what is available, and what to change. For every
    /// allocation that grows with input (agents, replications, snapshots, sweep points, clause combinations), checked
    /// before anything is allocated or written.
    /// </summary>
    public static bool Allows(long bytes, string what, string remedy, long? maxBytes, out string refusal)
    {
        long allowed = maxBytes ?? AvailableBytes();
        string source = maxBytes is null ? "available on this machine" : "allowed by --max-memory";
        refusal = "";
        if (bytes >= 0 && bytes <= allowed) return true;
        refusal = $"{what} needs about {MemoryEstimate.Format(bytes < 0 ? long.MaxValue : bytes)} but only {MemoryEstimate.Format(allowed)} is {source}; " +
                  $"{remedy}. Nothing was written.";
        return false;
    }

    /// <summary>a × b × c… in bytes, saturating at <see cref="long.MaxValue"/> instead of wrapping.</summary>
    public static long Product(params double[] factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        double p = 1;
        foreach (double f in factors) p *= Math.Max(0, f);
        return p >= long.MaxValue ? long.MaxValue : (long)Math.Ceiling(p);
    }

    [GeneratedRegex(@"^\s*([0-9]+(?:\.[0-9]+)?)\s*(B|K|KB|KIB|M|MB|MIB|G|GB|GIB|T|TB|TIB)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex SizePattern();

    /// <summary>Parses "24GiB", "512MB", "1.5G" or a plain byte count (binary multiples: 1G = 1 GiB).</summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        var m = SizePattern().Match(text ?? "");
        if (!m.Success) return false;
        double value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        int shift = (m.Groups[2].Value.ToUpperInvariant() is var unit && unit.Length > 0 ? unit[0] : 'B') switch
        {
            'K' => 10,
            'M' => 20,
            'G' => 30,
            'T' => 40,
            _ => 0,
        };
        double result = value * Math.Pow(2, shift);
        if (result < 1 || result > long.MaxValue / 2) return false;
        bytes = (long)result;
        return true;
    }
}
