using System.Globalization;

namespace MarketSim.Output;

/// <summary>
/// Column names made from scenario paths, one rule for every file that has a column per parameter (sweeps'
/// points, calibration's evaluations, the posterior ensemble), so a reader finds a parameter by the same name in each.
/// </summary>
public static class ColumnNames
{
    /// <summary>A path as a column name: lower case, every run of other characters one underscore.</summary>
    public static string Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var sb = new System.Text.StringBuilder(path.Length);
        foreach (char c in path.ToLower(CultureInfo.InvariantCulture))
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '_') sb.Append('_');
        }
        return sb.ToString().TrimEnd('_');
    }
}
