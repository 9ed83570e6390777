using System.Globalization;

namespace MarketSim.Charts;

/// <summary>
/// The one number format of reports, charts and the console: people in thousand/million, yuan in thousand, million
/// or billion with the unit, three significant digits, an explicit sign and a real minus for differences, exact
/// zeros as "0", and "n.s." for differences whose interval includes zero.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "signed: whether the number is printed with its sign; the report passes it by that name.")]
public static class ReportFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The minus sign used in every output (U+2212, not a hyphen).</summary>
    public const string Minus = "\u2212";

    /// <summary>The not-significant mark.</summary>
    public const string NotSignificant = "n.s.";

    /// <summary>People, e.g. "+4.12 million", "−783 thousand", "812", "0".</summary>
    public static string People(double v, bool signed = true) => Scaled(v, signed, "", [(1e6, " million"), (1e3, " thousand")]);

    /// <summary>Yuan, e.g. "+47.2 billion yuan", "−220 million yuan"; exactly zero is "0".</summary>
    public static string Yuan(double v, bool signed = true) =>
        Scaled(v, signed, " yuan", [(1e9, " billion yuan"), (1e6, " million yuan"), (1e3, " thousand yuan")]);

    /// <summary>A difference of shares (fractions, as the files hold them) in percentage points, e.g. 0.0042 → "+0.42 pp"; "0 pp" for exactly zero.</summary>
    public static string Pp(double fraction)
    {
        double v = 100 * fraction;
        return (v == 0 ? "0" : Sign(v) + Math.Abs(v).ToString("0.00", Inv)) + " pp";
    }

    /// <summary>A percentage of a base, e.g. "+3.1 %"; "—" when the base is 0.</summary>
    public static string Percent(double part, double whole)
    {
        if (whole == 0) return "—";
        double pct = 100 * part / whole;
        return pct == 0 ? "0 %" : Sign(pct) + Math.Abs(pct).ToString(Math.Abs(pct) >= 10 ? "0.0" : "0.00", Inv) + " %";
    }

    /// <summary>An unsigned share, e.g. "32 %".</summary>
    public static string Share(double part, double whole) => whole == 0 ? "—" : (100 * part / whole).ToString("0", Inv) + " %";

    /// <summary>
    /// Appends " (n.s.)" when the difference is known not to be significant; never to an exact "0", which is no
    /// estimate but the same value in every replication.
    /// </summary>
    public static string Mark(string text, bool? significant) => significant == false && text != "0" ? $"{text} ({NotSignificant})" : text;

    /// <summary>What the marks mean, as the report says it (the studio's page says it in the same words).</summary>
    public static string MarkLegend(bool intervals) => intervals
        ? "\"n.s.\": not significant, the 95 % interval includes zero; every other difference is significant."
        : "One replication: no intervals.";

    /// <summary>
    /// An interval with its unit written once: "−13.2 to −10.5 billion yuan"; when the ends fall in different units,
    /// both in the unit of the larger end ("+0.871 to +117 thousand", never "871 to 117 thousand", which reads as 871
    /// thousand).
    /// </summary>
    public static string Range(double low, double high, bool yuan, bool signed = true)
    {
        string lo = yuan ? Yuan(low, signed) : People(low, signed);
        string hi = yuan ? Yuan(high, signed) : People(high, signed);
        string unitLo = UnitOf(lo), unitHi = UnitOf(hi);
        if (unitLo == unitHi) return unitHi.Length > 0 ? $"{lo[..^unitHi.Length]} to {hi}" : $"{lo} to {hi}";
        string unit = Math.Abs(high) >= Math.Abs(low) ? unitHi : unitLo;
        double scale = (yuan ? YuanUnits : PeopleUnits).FirstOrDefault(u => u.Suffix == unit).Scale;
        if (scale == 0) scale = 1;
        string InUnit(double v, string text)
        {
            if (UnitOf(text) == unit) return text[..^unit.Length];
            double x = v / scale;
            return x == 0 ? "0" : (signed ? Sign(x) : x < 0 ? Minus : "") + RoundSignificant(Math.Abs(x));
        }
        return $"{InUnit(low, lo)} to {InUnit(high, hi)}{unit}";
    }

    /// <summary>Three significant digits without trailing zeros: 0.871, 0.05, 0.00123.</summary>
    private static string RoundSignificant(double a)
    {
        int decimals = Math.Clamp(2 - (int)Math.Floor(Math.Log10(a)), 0, 9);
        return Math.Round(a, decimals).ToString("0." + new string('#', Math.Max(1, decimals)), Inv);
    }

    private static readonly (double Scale, string Suffix)[] PeopleUnits = [(1e6, " million"), (1e3, " thousand")];

    private static readonly (double Scale, string Suffix)[] YuanUnits = [(1e9, " billion yuan"), (1e6, " million yuan"), (1e3, " thousand yuan"), (1, " yuan")];

    private static string UnitOf(string text)
    {
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? "" : text[space..];
    }

    /// <summary>A number on a common scale for chart labels, e.g. Label(1.234, 2) = "+1.23"; exactly zero = "0".</summary>
    public static string Label(double scaled, int decimals)
    {
        if (scaled == 0) return "0";
        string digits = Math.Abs(scaled).ToString("F" + decimals.ToString(Inv), Inv);
        // A non-zero value that rounds to zero at the common precision gets two significant digits instead of a signed
        // zero ("−0.00" on a cell marked significant read as a contradiction).
        if (double.Parse(digits, Inv) == 0)
            digits = Math.Abs(scaled).ToString("F" + Math.Clamp(1 - (int)Math.Floor(Math.Log10(Math.Abs(scaled))), decimals, 12).ToString(Inv), Inv);
        return Sign(scaled) + digits;
    }

    /// <summary>A common unit for a set of people counts: (divisor, unit name, decimals) for chart labels.</summary>
    public static (double Scale, string Unit, int Decimals) PeopleScale(IEnumerable<double> values)
    {
        double max = values.Select(Math.Abs).DefaultIfEmpty(0).Max();
        if (max >= 1e5) return (1e6, "million people", max >= 1e7 ? 1 : 2);
        if (max >= 1e3) return (1e3, "thousand people", max >= 1e4 ? 0 : 1);
        return (1, "people", 0);
    }

    private static string Sign(double v) => v < 0 ? Minus : "+";

    private static string Scaled(double v, bool signed, string unitSuffix, (double Scale, string Suffix)[] units)
    {
        if (v == 0) return "0";
        double a = Math.Abs(v);
        double scale = 1;
        string suffix = unitSuffix;
        foreach (var (s, name) in units)
            if (a >= s) { scale = s; suffix = name; break; }
        double x = a / scale;
        // Three significant digits; rounding up may reach the next unit ("999.96 thousand" -> "1.00 million").
        string format = x >= 99.95 ? "0" : x >= 9.995 ? "0.0" : scale == 1 ? "0" : "0.00";
        string digits = x.ToString(format, Inv);
        if (scale != units[0].Scale && double.Parse(digits, Inv) >= 1000 && units.Any(u => u.Scale == scale * 1000))
            return Scaled(Math.Sign(v) * scale * 1000, signed, unitSuffix, units);
        string sign = signed ? Sign(v) : v < 0 ? Minus : "";
        return sign + digits + suffix;
    }
}
