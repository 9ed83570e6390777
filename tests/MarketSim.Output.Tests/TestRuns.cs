using MarketSim.Calibration;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Output;

namespace MarketSim.Tests;

/// <summary>Hand-built runs with known numbers: 2 tiers × 3 platforms, counts derived from (field, step, tier, platform).</summary>
internal static class TestRuns
{
    public const double PeoplePerAgent = 250.5;

    public static readonly DateOnly Start = new(2020, 1, 6);

    public static ModelDimensions Dims { get; } = new(
        ["urban", "rural"], ["Urban", "Rural"], ["tmall", "jd", "pdd"], ["Tmall", "JD", "Pinduoduo"],
        ["#FF0000", "#00FF00", "#0000FF"], PeoplePerAgent, 7);

    public static RunManifest Manifest { get; } = new("test-scenario", "name: test-scenario\nseed: 42\n", new string('a', 64),
        42UL, 12_000, PeoplePerAgent, 3, "0.1.0-test");

    public static RunTimings Timings(int seconds = 1) => new(0.1 * seconds, 0.2, 0.3, 0.4, 0.5, seconds, 4, 1e6,
        new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero).AddSeconds(seconds),
        new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero).AddSeconds(2 * seconds));

    public static IReadOnlyList<CalibrationRow> Calibration { get; } =
    [
        new(0, null, new DateOnly(2020, 3, 31), "tmall", "", "all", "annual_active", "millions", 779.0, 790.5, 0.05, 1, true, "Alibaba FY2020 results"),
        new(1, new DateOnly(2019, 4, 1), new DateOnly(2020, 3, 31), "tmall", "", "t3;t4", "gmv_share", "share", 0.5, 0.45, 0.10, 0.5, false, "a share over a period"),
    ];

    /// <summary>Distinct value per field, step, tier and platform, so a swapped column or row shows up.</summary>
    public static long V(int field, int step, int tier, int platform) => field * 100_000L + step * 1_000 + tier * 100 + platform * 10 + 1;

    /// <summary>Tier 1 has no consumers at step 0, to exercise the zero-denominator shares.</summary>
    public static long Consumers(int step, int tier) => tier == 1 && step == 0 ? 0 : 1_000 + 10 * step + 100 * tier;

    public static long Primary(int step, int tier, int platform)
    {
        long c = Consumers(step, tier);
        return platform switch { 0 => c / 2, 1 => c / 3, _ => c - c / 2 - c / 3 };
    }

    public static long Flow(int step, int tier, int from, int to) => from == to ? 0 : step + tier * 10 + from * 3 + to + 1;

    /// <summary>Annual-active on both; the diagonal is annual-active, and platform 2 of tier 1 has none at step 0.</summary>
    public static long Overlap(int step, int tier, int a, int b)
    {
        long Annual(int k) => tier == 1 && step == 0 && k == 2 ? 0 : V(1, step, tier, k);
        return a == b ? Annual(a) : Math.Min(Annual(a), Annual(b)) / 2;
    }

    public static StepMetrics Step(int step)
    {
        var m = new StepMetrics(2, 3) { Step = step, Date = Start.AddDays(7 * step) };
        for (int t = 0; t < 2; t++)
        {
            m.Consumers[t] = Consumers(step, t);
            m.Arrivals[t] = 5;
            for (int k = 0; k < 3; k++)
            {
                int i = m.At(t, k);
                m.AnnualActive[i] = Overlap(step, t, k, k);
                m.PeriodActive[i] = V(2, step, t, k);
                m.Primary[i] = Primary(step, t, k);
                m.New[i] = V(3, step, t, k);
                m.Churned[i] = V(4, step, t, k);
                m.SwitchedIn[i] = V(5, step, t, k);
                m.SwitchedOut[i] = V(6, step, t, k);
                m.GmvFen[i] = V(7, step, t, k) * 1_234;
                m.SuppliedGmvFen[i] = V(8, step, t, k) * 17;
                m.Orders[i] = V(9, step, t, k);
                for (int b = 0; b < 3; b++)
                {
                    m.Flows[m.At(t, k, b)] = Flow(step, t, k, b);
                    m.Overlap[m.At(t, k, b)] = Overlap(step, t, k, b);
                }
            }
        }
        return m;
    }

    /// <summary>Writes a complete run of <paramref name="steps"/> steps into <paramref name="folder"/>.</summary>
    public static async Task WriteAsync(string folder, int steps, int stepsPerRowGroup = 2, OutputSelection? selection = null,
        RunTimings? timings = null)
    {
        await using var writer = await RunOutputWriter.CreateAsync(folder, Dims, Manifest, selection ?? OutputSelection.All,
            stepsPerRowGroup);
        for (int s = 0; s < steps; s++) await writer.WriteStepAsync(Step(s));
        await writer.CompleteAsync(Calibration, timings ?? Timings());
    }
}

/// <summary>A fresh folder under the temp directory, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "marketsim-output-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Run(string name = "run") => Path.Combine(Root, name);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
