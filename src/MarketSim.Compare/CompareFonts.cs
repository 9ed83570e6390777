using ScottPlot;
using SkiaSharp;

namespace MarketSim.Compare;

/// <summary>
/// The DejaVu font embedded in MarketSim.Charts, registered with ScottPlot under a family no system font has, so a
/// report's charts render the same text on every machine. (A copy of the minimum of the Charts library's internal
/// ChartFonts, reading the same embedded resources.)
/// </summary>
internal static class CompareFonts
{
    public const string Family = "MarketSim Compare DejaVu Sans";

    private static readonly Lazy<Resolver> Instance = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    public static void EnsureRegistered()
    {
        _ = Instance.Value;
        Fonts.Default = Family;
        Fonts.Sans = Family;
        Fonts.DefaultFontStyle = null;
    }

    private static Resolver Register()
    {
        var resolver = new Resolver(Load("DejaVuSans.ttf"), Load("DejaVuSans-Bold.ttf"));
        lock (Fonts.FontResolvers) Fonts.FontResolvers.Insert(0, resolver);
        return resolver;
    }

    private static SKTypeface Load(string file)
    {
        string name = "MarketSim.Charts.Fonts." + file;
        using Stream stream = typeof(MarketSim.Charts.RunCharts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded font resource '{name}' is missing from MarketSim.Charts.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        using SKData data = SKData.CreateCopy(copy.ToArray());
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException($"'{name}' is not a font SkiaSharp can read.");
    }

    private sealed class Resolver(SKTypeface regular, SKTypeface bold) : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
            fontName == Family ? ((int)weight >= (int)FontWeight.SemiBold ? bold : regular) : null;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            CreateTypeface(fontName, bold ? FontWeight.Bold : FontWeight.Normal, italic ? FontSlant.Italic : FontSlant.Upright, FontSpacing.Normal);
    }
}
