using ScottPlot;
using SkiaSharp;

namespace MarketSim.Charts;

/// <summary>
/// The one font every chart uses, loaded from the assembly rather than the system: ScottPlot's SkiaSharp has no
/// fontconfig, so system lookup picks whatever it finds first (or nothing on a bare container) and the same run
/// would render different text on different machines.
/// </summary>
public static class ChartFonts
{
    /// <summary>
    /// A family name no system font has, so ScottPlot's system resolver can never answer for it and every lookup
    /// lands on the embedded files.
    /// </summary>
    public const string Family = "MarketSim DejaVu Sans";

    private static readonly Lazy<EmbeddedFontResolver> Resolver = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Registers the embedded font with ScottPlot (once per process) and makes it the default.</summary>
    public static void EnsureRegistered()
    {
        _ = Resolver.Value;
        // Re-asserted on every call: another component in the process may have changed ScottPlot's global default.
        Fonts.Default = Family;
        Fonts.Sans = Family;
        // A pinned typeface would override the family names we set on every label.
        Fonts.DefaultFontStyle = null;
    }

    /// <summary>Regular typeface, for text we draw directly on a canvas.</summary>
    public static SKTypeface Regular => Resolver.Value.RegularFace;

    /// <summary>Bold typeface, for titles we draw directly on a canvas.</summary>
    public static SKTypeface Bold => Resolver.Value.BoldFace;

    private static EmbeddedFontResolver Register()
    {
        var resolver = new EmbeddedFontResolver(Load("DejaVuSans.ttf"), Load("DejaVuSans-Bold.ttf"));
        lock (Fonts.FontResolvers)
        {
            Fonts.FontResolvers.Insert(0, resolver);
        }
        return resolver;
    }

    private static SKTypeface Load(string file)
    {
        string name = "MarketSim.Charts.Fonts." + file;
        using Stream stream = typeof(ChartFonts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded font resource '{name}' is missing from MarketSim.Charts.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        using SKData data = SKData.CreateCopy(copy.ToArray());
        return SKTypeface.FromData(data)
            ?? throw new InvalidOperationException($"Embedded font resource '{name}' is not a font SkiaSharp can read.");
    }

    private sealed class EmbeddedFontResolver(SKTypeface regular, SKTypeface bold) : IFontResolver
    {
        public SKTypeface RegularFace { get; } = regular;

        public SKTypeface BoldFace { get; } = bold;

        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
            fontName == Family ? ((int)weight >= (int)FontWeight.SemiBold ? BoldFace : RegularFace) : null;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            CreateTypeface(fontName, bold ? FontWeight.Bold : FontWeight.Normal, italic ? FontSlant.Italic : FontSlant.Upright, FontSpacing.Normal);
    }
}
