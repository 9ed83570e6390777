using SkiaSharp;

namespace MarketSim.Charts.Tests;

public class RunChartsTests
{
    private static readonly string[] Expected =
        ["shares.png", "shares_by_tier.png", "annual_active.png", "flows_heatmap.png", "overlap.png", "gmv.png"];

    [Fact]
    public void RenderAll_TypicalRun_WritesSixValidPngsAndReturnsTheirPaths()
    {
        using var folder = new TempFolder();
        var paths = RunCharts.RenderAll(folder.Path, SampleRuns.Dimensions(3, 4), SampleRuns.Build(3, 4, 30), "baseline");

        Assert.Equal(Expected, paths.Select(Path.GetFileName).ToArray());
        Assert.Equal(Expected, RunCharts.FileNames);
        foreach (string path in paths)
        {
            Assert.True(File.Exists(path), path);
            Assert.Equal(Path.GetFullPath(folder.Path), Path.GetDirectoryName(path));
            var (width, height) = PngFile.ReadHeader(path);
            Assert.True(width >= 1600 && height >= 900, $"{Path.GetFileName(path)} is {width}×{height}");
            Assert.True(width * 9 <= height * 16 + 16 * 200, $"{Path.GetFileName(path)} is {width}×{height}, far from slide proportions");
        }
        // Single charts are 1600×900; the small multiples (shares in two panels, tiers, overlap, GMV) 2400×1350.
        Assert.Equal((2400, 1350), PngFile.ReadHeader(paths[0]));
        Assert.Equal((1600, 900), PngFile.ReadHeader(paths[2]));
    }

    [Fact]
    public void RenderAll_WithMarks_ChangesTheTimeChartsButNotTheHeatmap()
    {
        using var plain = new TempFolder();
        using var marked = new TempFolder();
        var dims = SampleRuns.Dimensions(3, 4);
        var steps = SampleRuns.Build(3, 4, 30);
        var date = steps[10].Date;
        var marks = new ChartMarks([(date, "alliance starts")], WarmUpEnd: steps[5].Date, LastCalibrationTarget: steps[20].Date);
        RunCharts.RenderAll(plain.Path, dims, steps, "baseline");
        RunCharts.RenderAll(marked.Path, dims, steps, "baseline", marks);
        foreach (var name in new[] { "shares.png", "shares_by_tier.png", "annual_active.png", "overlap.png", "gmv.png" })
            Assert.False(File.ReadAllBytes(Path.Combine(plain.Path, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(marked.Path, name))),
                $"{name} does not show the marks");
        Assert.True(File.ReadAllBytes(Path.Combine(plain.Path, "flows_heatmap.png")).AsSpan()
            .SequenceEqual(File.ReadAllBytes(Path.Combine(marked.Path, "flows_heatmap.png"))));
    }

    [Fact]
    public void MergeEvents_CloseDatesShareOneMarker_FarOnesKeepTheirOwn()
    {
        var merged = ChartStyle.MergeEvents([(new DateOnly(2020, 6, 1), "618"), (new DateOnly(2020, 5, 27), "alliance starts"),
            (new DateOnly(2020, 6, 13), "616"), (new DateOnly(2021, 6, 1), "618")]);
        Assert.Equal([(new DateOnly(2020, 5, 27), "alliance starts; 618; 616"), (new DateOnly(2021, 6, 1), "618")], merged);
    }

    [Fact]
    public void TierColors_AreDistinctAndDarkEnoughToReadOnWhite()
    {
        var colors = ChartStyle.TierColors(6);
        Assert.Equal(6, colors.Distinct().Count());
        Assert.All(colors, c => Assert.True(c.Luminance < 0.9, $"tier colour {c} is too pale"));
    }

    [Fact]
    public void RenderAll_TypicalRun_LeavesNoTemporaryFiles()
    {
        using var folder = new TempFolder();
        RunCharts.RenderAll(folder.Path, SampleRuns.Dimensions(3, 4), SampleRuns.Build(3, 4, 30), "baseline");

        var names = Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(Expected.Order().ToArray(), names);
    }

    [Fact]
    public void RenderAll_ExistingFiles_AreReplaced()
    {
        using var folder = new TempFolder();
        string shares = Path.Combine(folder.Path, "shares.png");
        File.WriteAllText(shares, "stale");

        RunCharts.RenderAll(folder.Path, SampleRuns.Dimensions(3, 4), SampleRuns.Build(3, 4, 30), "baseline");

        Assert.Equal((2400, 1350), PngFile.ReadHeader(shares));
    }

    [Fact]
    public void RenderAll_MissingFolder_IsCreated()
    {
        using var folder = new TempFolder();
        string nested = Path.Combine(folder.Path, "run=000001", "charts");

        var paths = RunCharts.RenderAll(nested, SampleRuns.Dimensions(2, 3), SampleRuns.Build(2, 3, 10), "nested");

        Assert.All(paths, p => Assert.True(File.Exists(p)));
    }

    [Fact]
    public void RenderAll_ZeroSteps_ThrowsArgumentExceptionAndWritesNothing()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<ArgumentException>(() =>
            RunCharts.RenderAll(folder.Path, SampleRuns.Dimensions(3, 4), [], "empty"));

        Assert.Contains("no steps", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void RenderAll_StepsWithOtherDimensions_ThrowsArgumentException()
    {
        using var folder = new TempFolder();

        Assert.Throws<ArgumentException>(() =>
            RunCharts.RenderAll(folder.Path, SampleRuns.Dimensions(3, 4), SampleRuns.Build(3, 5, 5), "mismatch"));
    }

    [Fact]
    public void RenderAll_PlatformWithAllZeroDataAndEmptyTier_RendersEveryChart()
    {
        using var folder = new TempFolder();
        var steps = SampleRuns.Build(3, 4, 30, zeroPlatform: 2);
        foreach (var m in steps)
        {
            // An empty tier: every ratio over it has a zero denominator.
            m.Consumers[1] = 0;
            for (int p = 0; p < 4; p++)
            {
                int i = m.At(1, p);
                m.Primary[i] = m.AnnualActive[i] = m.PeriodActive[i] = m.GmvFen[i] = 0;
                for (int b = 0; b < 4; b++) m.Overlap[m.At(1, p, b)] = m.Flows[m.At(1, p, b)] = 0;
            }
        }

        var paths = RunCharts.RenderAll(folder.Path, SampleRuns.Dimensions(3, 4), steps, "zeros");

        Assert.All(paths, p => PngFile.ReadHeader(p));
    }

    [Fact]
    public void RenderAll_AllZeroRun_RendersEveryChart()
    {
        using var folder = new TempFolder();
        var steps = Enumerable.Range(0, 5)
            .Select(s => new Engine.StepMetrics(2, 3) { Step = s, Date = new DateOnly(2020, 1, 6).AddDays(7 * s) })
            .ToList();

        var paths = RunCharts.RenderAll(folder.Path, SampleRuns.Dimensions(2, 3), steps, "nothing");

        Assert.Equal(6, paths.Count);
    }

    [Fact]
    public void RenderAll_SingleStep_RendersEveryChart()
    {
        using var folder = new TempFolder();

        var paths = RunCharts.RenderAll(folder.Path, SampleRuns.Dimensions(3, 4), SampleRuns.Build(3, 4, 1), "one step");

        Assert.All(paths, p => PngFile.ReadHeader(p));
    }

    [Fact]
    public void RenderAll_SharesChart_ShowsEveryPlatformColour()
    {
        using var folder = new TempFolder();
        var dims = SampleRuns.Dimensions(3, 4);
        RunCharts.RenderAll(folder.Path, dims, SampleRuns.Build(3, 4, 30), "colours");

        using SKBitmap bitmap = PngFile.Decode(Path.Combine(folder.Path, "shares.png"));
        foreach (string hex in dims.PlatformColors)
        {
            SKColor color = SKColor.Parse(hex);
            int count = PngFile.CountNear(bitmap, color, tolerance: 6);
            Assert.True(count > 200, $"colour {hex} found in only {count} pixels of shares.png");
        }
    }

    [Fact]
    public void RenderAll_DifferentTitles_TitleBandHasDarkTextThatDiffers()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        var dims = SampleRuns.Dimensions(3, 4);
        var steps = SampleRuns.Build(3, 4, 30);
        RunCharts.RenderAll(a.Path, dims, steps, "A");
        RunCharts.RenderAll(b.Path, dims, steps, "A much longer and entirely different scenario name");

        foreach (string name in Expected)
        {
            using SKBitmap short_ = PngFile.Decode(Path.Combine(a.Path, name));
            using SKBitmap long_ = PngFile.Decode(Path.Combine(b.Path, name));
            int band = 50;
            Assert.True(PngFile.CountDark(short_, 0, band) > 300, $"{name}: no title text in the top {band} rows");
            int differing = 0;
            for (int y = 0; y < band; y++)
                for (int x = 0; x < short_.Width; x++)
                    if (short_.GetPixel(x, y) != long_.GetPixel(x, y)) differing++;
            Assert.True(differing > 300, $"{name}: title band changed in only {differing} pixels when the title changed");
        }
    }

    [Fact]
    public void RenderAll_HeatmapWithOneFlow_ColoursTheCellOfItsRowAndColumn()
    {
        // One switch stream, from the last platform (bottom row) to the first (left column): the darkest cells
        // must sit bottom-left, which catches a flipped or transposed matrix.
        using var folder = new TempFolder();
        var steps = Enumerable.Range(0, 3)
            .Select(s => new Engine.StepMetrics(1, 3) { Step = s, Date = new DateOnly(2020, 1, 6).AddDays(7 * s) })
            .ToList();
        foreach (var m in steps) m.Flows[m.At(0, 2, 0)] = 100;

        RunCharts.RenderAll(folder.Path, SampleRuns.Dimensions(1, 3), steps, "one flow");
        if (Environment.GetEnvironmentVariable("MARKETSIM_CHART_SAMPLES") is string keep)
            File.Copy(Path.Combine(folder.Path, "flows_heatmap.png"), Path.Combine(keep, "one_flow_heatmap.png"), overwrite: true);

        using SKBitmap bitmap = PngFile.Decode(Path.Combine(folder.Path, "flows_heatmap.png"));
        long sumX = 0, sumY = 0, count = 0;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width * 8 / 10; x++) // leave out the colour bar on the right
            {
                SKColor c = bitmap.GetPixel(x, y);
                if (c.Red < 40 && c.Blue > c.Red + 30 && c.Blue > c.Green) { sumX += x; sumY += y; count++; }
            }
        Assert.True(count > 10_000, $"only {count} dark cell pixels");
        Assert.True(sumX / count < bitmap.Width / 3, $"dark cell centred at x = {sumX / count}");
        Assert.True(sumY / count > bitmap.Height * 2 / 3, $"dark cell centred at y = {sumY / count}");
    }

    [Fact]
    public void ChartFonts_EnsureRegistered_ResolvesTheEmbeddedDejaVuFaces()
    {
        ChartFonts.EnsureRegistered();

        var regular = ScottPlot.Fonts.GetTypeface(ChartFonts.Family, bold: false, italic: false);
        var bold = ScottPlot.Fonts.GetTypeface(ChartFonts.Family, bold: true, italic: false);

        Assert.Equal("DejaVu Sans", regular.FamilyName);
        Assert.Equal("DejaVu Sans", bold.FamilyName);
        Assert.True(bold.IsBold);
        Assert.False(regular.IsBold);
        Assert.Equal(ChartFonts.Family, ScottPlot.Fonts.Default);
    }

    /// <summary>Writes a realistic full-size sample set when MARKETSIM_CHART_SAMPLES names a folder (for looking at the charts).</summary>
    [Fact]
    public void RenderAll_SampleFolderRequested_WritesSixTiersBySixPlatforms()
    {
        string? folder = Environment.GetEnvironmentVariable("MARKETSIM_CHART_SAMPLES");
        if (string.IsNullOrEmpty(folder)) return;

        var paths = RunCharts.RenderAll(folder, SampleRuns.Dimensions(6, 6, 1000), SampleRuns.Build(6, 6, 156), "baseline");

        Assert.Equal(6, paths.Count);
    }
}
