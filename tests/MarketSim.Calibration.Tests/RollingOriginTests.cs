using System.Globalization;
using MarketSim.Calibration;
using MarketSim.ScenarioFiles;
using MarketSim.Scenarios;

namespace MarketSim.Tests;

/// <summary>
/// Rolling-origin validation: no figure after an origin reaches its refit, horizons in quarters, the naive forecast by
/// hand, validation.parquet read back, the section's checks, determinism and recovery on figures the model generated.
/// </summary>
public sealed class RollingOriginTests
{
    private static DateOnly Day(string s) => DateOnly.Parse(s, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2018-03-31", "2018-06-30", 1)]
    [InlineData("2018-03-31", "2019-03-31", 4)]
    [InlineData("2018-09-30", "2018-12-31", 1)]
    [InlineData("2018-09-30", "2019-06-30", 3)]
    [InlineData("2019-12-31", "2020-03-31", 1)]  // across a year's end
    [InlineData("2018-03-31", "2018-04-30", 1)]  // a date inside the next quarter
    [InlineData("2018-03-31", "2018-03-31", 0)]
    public void Horizon_IsQuartersBetweenOriginAndDate(string origin, string date, int quarters) =>
        Assert.Equal(quarters, RollingOrigin.Horizon(Day(origin), Day(date)));

    private static CalibrationTargetSpec Level(string date, double value, string platform = "jd") =>
        new() { Date = Day(date), Platform = platform, Metric = CalibrationMetric.AnnualActive, Value = value };

    [Fact]
    public void Naive_IsTheLastYearOnYearGrowthCarriedForward_ByHand()
    {
        var t = new List<CalibrationTargetSpec>
        {
            Level("2017-03-31", 90), Level("2017-06-30", 100), Level("2017-09-30", 110), Level("2018-03-31", 120), Level("2018-06-30", 150),
            Level("2018-12-31", 999),
            Level("2017-06-30", 10, "pdd"), Level("2017-09-30", 12, "pdd"), Level("2018-03-31", 20, "pdd"), Level("2018-12-31", 99, "pdd"),
            Level("2018-06-30", 7, "taobao"), Level("2018-09-30", 8, "taobao"),
        };
        // From 2018-06-30: 150 against 100 a year before (not the older 90), +50 % a year; 2018-12-31 is half a year on: 150 · 1.5^0.5.
        var (value, span) = RollingOrigin.Naive(t, 5, Day("2018-06-30"));
        Assert.Equal(150 * Math.Sqrt(1.5), value, 10);
        Assert.Equal(12, span);
        // From 2018-03-31: 120 against 90 exactly a year before, carried nine months: 120 · (120/90)^(9/12).
        (value, span) = RollingOrigin.Naive(t, 5, Day("2018-03-31"));
        Assert.Equal(120 * Math.Pow(120.0 / 90, 0.75), value, 10);
        Assert.Equal(12, span);
        // Pinduoduo has no figure a year before its latest: the growth from its earliest (nine months, 10 -> 20),
        // annualised, carried the nine months from its latest figure (2018-03-31, not the origin) to 2018-12-31: 20 · 2 = 40.
        (value, span) = RollingOrigin.Naive(t, 9, Day("2018-06-30"));
        Assert.Equal(40, value, 10);
        Assert.Equal(9, span);
        // Three months of history are too few; another platform's figures are another series.
        (value, _) = RollingOrigin.Naive(t, 7, Day("2017-09-30"));
        Assert.True(double.IsNaN(value));
        (value, _) = RollingOrigin.Naive(t, 11, Day("2018-09-30"));
        Assert.True(double.IsNaN(value));
    }

    [Fact]
    public void Naive_FlowSeries_KeepTheirPeriodLength()
    {
        CalibrationTargetSpec Flow(string start, string end, double v) =>
            new() { PeriodStart = Day(start), Date = Day(end), Platform = "pdd", Metric = CalibrationMetric.Gmv, Value = v };
        var t = new List<CalibrationTargetSpec>
        {
            Flow("2017-07-01", "2018-06-30", 262.1), Flow("2018-01-01", "2018-03-31", 66.2), Flow("2018-07-01", "2019-06-30", 709.1),
            Flow("2019-01-01", "2019-12-31", 1006.6),
        };
        // Twelve-month windows form one series (the quarter does not): 709.1 / 262.1 a year on, carried six months further.
        var (value, span) = RollingOrigin.Naive(t, 3, Day("2019-06-30"));
        Assert.Equal(709.1 * Math.Pow(709.1 / 262.1, 0.5), value, 8);
        Assert.Equal(12, span);
    }

    [Fact]
    public void Setup_TheRefitHoldsNoFigureAfterItsOrigin_AndNoTargetsInItsScenario()
    {
        var tiny = new TinyValidation(MarketSimProcess.NewTempFolder("marketsim-validation"), subsidy: true);
        var main = tiny.Load();
        var origin = Day("2018-06-30");
        var setup = RollingOrigin.Setup(main, origin);
        Assert.All(setup.Fit.Targets, t => Assert.True(t.Date <= origin, $"{t.Metric} {t.Platform} {t.Date} is after the origin"));
        // Pinduoduo's GMV of April–September 2018 started before the origin but was published after it: not fitted.
        Assert.DoesNotContain(setup.Fit.Targets, t => t.Metric == CalibrationMetric.Gmv);
        Assert.Contains(setup.ForecastTargets, i => main.Targets[i].Metric == CalibrationMetric.Gmv);
        Assert.Equal(2 * 5, setup.Fit.Targets.Count); // JD and Pinduoduo, 2017-06 … 2018-06
        // Forecast: the figures of the two quarters after, the online shoppers among them; none after holdout_after.
        Assert.Equal(["2018-09-30", "2018-12-31"], setup.ForecastTargets.Select(i => main.Targets[i].Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Distinct().Order());
        var scenario = ScenarioLoader.LoadText(setup.Fit.BaseYaml, "tiny.yaml", tiny.Folder).Scenario!;
        Assert.Empty(scenario.Calibration);
        // The subsidy starts on 2019-06-01: held at the declared 0.2, not fitted.
        Assert.Equal(0.2, scenario.Interventions["pdd_ten_billion_subsidy"].Add);
        Assert.Equal(["platforms.pdd.adoption_imitation", "platforms.jd.adoption_external"], setup.Fit.Parameters.Select(p => p.Path));
        Assert.Equal([(2, 0.2)], setup.Held);
    }

    [Fact]
    public void Setup_AFigureAfterHoldoutAfter_IsNeverForecast()
    {
        var tiny = new TinyValidation(MarketSimProcess.NewTempFolder("marketsim-validation"), horizons: 4);
        File.AppendAllText(tiny.TargetsPath, ",2019-09-30,jd,annual_active,340,millions,model\n");
        var main = tiny.Load();
        var setup = RollingOrigin.Setup(main, Day("2018-12-31"));
        Assert.Equal(new DateOnly(2019, 6, 30), setup.ForecastTargets.Max(i => main.Targets[i].Date));
        Assert.DoesNotContain(setup.Forecast.Targets, t => t.Date > new DateOnly(2019, 6, 30));
    }

    [Fact]
    public void Setup_AnOriginAfterAnInterventionStarts_FitsItsSize()
    {
        var tiny = new TinyValidation(MarketSimProcess.NewTempFolder("marketsim-validation"), subsidy: true, origins: "[2018-06-30, 2019-06-30]");
        File.WriteAllText(tiny.CalibrationPath, tiny.Text.Replace("holdout_after: 2019-06-30", "holdout_after: 2019-09-30", StringComparison.Ordinal));
        File.AppendAllText(tiny.TargetsPath, ",2019-09-30,jd,annual_active,340,millions,model\n");
        var setup = RollingOrigin.Setup(tiny.Load(), Day("2019-06-30"));
        Assert.Empty(setup.Held);
        Assert.Contains(setup.Fit.Parameters, p => p.Path == "interventions.pdd_ten_billion_subsidy.add");
    }

    /// <summary>
    /// The leak test: figures after an origin changed by half their value leave that origin's refit bit for bit the same
    /// (every evaluated point, objective and forecast); only the reported side of its forecasts changes.
    /// </summary>
    [Fact]
    public void Run_LaterFiguresChanged_EachOriginsRefitAndForecastUnchanged()
    {
        string root = MarketSimProcess.NewTempFolder("marketsim-validation");
        var tiny = new TinyValidation(root);
        var values = tiny.GenerateTargets();
        var before = RollingOrigin.Run(tiny.Load(), Path.Combine(root, "a"), threads: 2);

        // Every figure after the first origin (2018-06-30: quarter index 4), including the GMV over it, 50 % higher.
        var changed = values.ToArray();
        for (int q = 5; q < 9; q++) { changed[q] *= 1.5; changed[9 + q] *= 1.5; }
        changed[18] *= 1.5;
        changed[19] *= 1.5;
        tiny.WriteTargets(changed);
        var after = RollingOrigin.Run(tiny.Load(), Path.Combine(root, "b"), threads: 2);

        var a = before.Origins[0];
        var b = after.Origins[0];
        Assert.Equal(a.Fit.Records.Select(r => r.Evaluation.Values), b.Fit.Records.Select(r => r.Evaluation.Values));
        Assert.Equal(a.Fit.Records.Select(r => r.Evaluation.Objective), b.Fit.Records.Select(r => r.Evaluation.Objective));
        Assert.Equal(a.Setup.Fit.Fingerprint, b.Setup.Fit.Fingerprint);
        var rowsA = before.Rows.Where(r => r.Origin == a.Setup.Origin).ToList();
        var rowsB = after.Rows.Where(r => r.Origin == a.Setup.Origin).ToList();
        Assert.Equal(rowsA.Select(r => r.Model), rowsB.Select(r => r.Model));
        Assert.Equal(rowsA.Select(r => r.Naive), rowsB.Select(r => r.Naive));
        Assert.All(rowsA.Zip(rowsB), p => Assert.Equal(p.First.Reported * 1.5, p.Second.Reported, 9));
        // The second origin (2018-12-31) did see some changed figures: its refit differs, as it must.
        Assert.NotEqual(before.Origins[1].Setup.Fit.Fingerprint, after.Origins[1].Setup.Fit.Fingerprint);
    }

    [Fact]
    public async Task Run_OneOrTwoThreads_SameBytes_AndASecondRunReusesEveryRefit()
    {
        string root = MarketSimProcess.NewTempFolder("marketsim-validation");
        var tiny = new TinyValidation(root, globalPoints: 3, localEvaluations: 3);
        var problem = tiny.Load();
        var one = RollingOrigin.Run(problem, Path.Combine(root, "one"), threads: 1);
        var two = RollingOrigin.Run(problem, Path.Combine(root, "two"), threads: 2);
        var again = RollingOrigin.Run(problem, Path.Combine(root, "two"), threads: 2);
        byte[] Bytes(ValidationResult r) => ValidationOutputs.ParquetAsync(problem, r, "test").GetAwaiter().GetResult();
        Assert.Equal(Bytes(one), Bytes(two));
        Assert.Equal(Bytes(two), Bytes(again));
        Assert.All(again.Origins, o => Assert.Equal(0, o.Fit.Ran));
        Assert.All(two.Origins, o => Assert.True(o.Fit.Ran > 0));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task ValidationParquet_RoundTrip_AndRowsCarryHorizonsAndRoles()
    {
        string root = MarketSimProcess.NewTempFolder("marketsim-validation");
        var tiny = new TinyValidation(root, globalPoints: 2, localEvaluations: 0);
        var problem = tiny.Load();
        var result = RollingOrigin.Run(problem, Path.Combine(root, "out"), threads: 2);
        string path = Path.Combine(root, "validation.parquet");
        await File.WriteAllBytesAsync(path, await ValidationOutputs.ParquetAsync(problem, result, "test"));
        var read = await ValidationOutputs.Table.ReadAsync(path);

        Assert.Equal(result.Rows.Count, read.Rows);
        Assert.Equal(result.Rows.Select(r => r.Origin), read.Get<DateOnly>("origin"));
        Assert.Equal(result.Rows.Select(r => r.Target), read.Get<int>("target"));
        Assert.Equal(result.Rows.Select(r => r.Horizon), read.Get<int>("horizon_quarters"));
        Assert.Equal(result.Rows.Select(r => r.Model), read.Get<double>("model_forecast"));
        Assert.Equal(result.Rows.Select(r => r.Reported), read.Get<double>("reported"));
        Assert.Equal(result.Rows.Select(r => double.IsNaN(r.Naive) ? (double?)null : r.Naive), read.Get<double?>("naive_forecast"));
        Assert.Equal(result.Rows.Select(r => r.ModelError), read.Get<double>("model_error"));
        Assert.Equal(result.Rows.Select(r => r.Role), read.Get<string>("role"));
        Assert.Equal("2018-06-30,2018-12-31", read.Metadata["marketsim.origins"]);
        Assert.Equal("calibration_validation", read.Metadata["marketsim.kind"]);

        // Horizons: whole quarters from the origin, 1 or 2; the online shoppers are the input, the rest forecasts.
        foreach (var r in result.Rows)
        {
            int months = (r.PeriodEnd.Year - r.Origin.Year) * 12 + r.PeriodEnd.Month - r.Origin.Month;
            Assert.Equal(months / 3, r.Horizon);
            Assert.InRange(r.Horizon, 1, 2);
            Assert.Equal(r.Metric == CalibrationMetric.OnlineShoppers ? "input" : "forecast", r.Role);
            Assert.True(r.PeriodEnd <= new DateOnly(2019, 6, 30));
        }
        // Origin 2018-06-30 forecasts 2018-09 and 2018-12 (JD, Pinduoduo, the GMV, the shoppers); 2018-12-31 forecasts 2019-03 and 2019-06.
        Assert.Equal(6, result.Rows.Count(r => r.Origin == new DateOnly(2018, 6, 30)));
        Assert.Equal(4, result.Rows.Count(r => r.Origin == new DateOnly(2018, 12, 31)));
        // The model's forecast of a figure is the refit simulated on: its in-sample figures agree bit for bit with the refit's best point.
        foreach (var o in result.Origins)
            Assert.Equal(o.Fit.Best.Evaluation.Simulated, o.Forecast.Simulated.Take(o.Setup.KnownTargets.Count));
    }

    /// <summary>Synthetic recovery: figures generated by the model at known parameters; each origin's refit finds them and forecasts closely.</summary>
    [Fact]
    public void Run_FiguresTheModelGenerated_EachOriginRecoversTheParameters_AndForecastsWithinTwoPercent()
    {
        string root = MarketSimProcess.NewTempFolder("marketsim-validation");
        var tiny = new TinyValidation(root, globalPoints: 6, localEvaluations: 24);
        tiny.GenerateTargets();
        var problem = tiny.Load();
        var result = RollingOrigin.Run(problem, Path.Combine(root, "out"), threads: 2);
        foreach (var o in result.Origins)
        {
            var best = o.Fit.Best.Evaluation.Values;
            Assert.InRange(problem.Parameters[0].ToUnit(best[0]) - problem.Parameters[0].ToUnit(TinyValidation.TrueImitation), -0.08, 0.08);
            Assert.InRange(problem.Parameters[1].ToUnit(best[1]) - problem.Parameters[1].ToUnit(TinyValidation.TrueExternal), -0.08, 0.08);
        }
        Assert.All(result.Rows.Where(r => r.Metric == CalibrationMetric.AnnualActive),
            r => Assert.True(Math.Abs(r.ModelError) < 0.02, $"{r.Platform} {r.PeriodEnd} from {r.Origin}: {r.ModelError:P2}"));
    }
}
